/**
 * `judge`: the verdict of a run that something else produced (a k6-operator TestRun, k6 on
 * several machines with execution segments, a test applied by GitOps), from Prometheus alone.
 * It writes the same run folder as `run` (plan.json, verdict.json, reports, JUnit).
 *
 * What an external run cannot tell us is recorded, never assumed: k6's own request count comes
 * from the runners' `--summary-export` files when given (else the cross-check is impossible and
 * the verdict inconclusive), and k6's exit code is unknown, so the run counts as complete only
 * when its series span the plan's load duration.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../report/run-folder.ts';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { readSummaries } from '../k6/runner.ts';
import { clientTimeoutMs } from '../controller/recording.ts';
import { PrometheusClient, type MetricSource } from '../metrics/client.ts';
import { loadProfile } from '../plan/load.ts';
import { resolvePlan } from '../plan/resolve.ts';
import type { Plan } from '../plan/types.ts';
import { judgeRun, inconclusiveVerdict } from '../controller/verdict.ts';
import { judgeTriggers } from '../controller/triggers.ts';
import { externalScrapeInterval } from '../metrics/scrape-interval.ts';
import type { RunWindow } from '../controller/slo.ts';
import type { Verdict } from '../controller/types.ts';
import { resolveMapping } from '../../profiles/targets.ts';
import { assertAllowed, DEFAULT_ALLOW } from '../util/net.ts';
import { RUNS_DIR } from '../util/paths.ts';
import { reportAndPublish } from '../run/reports.ts';
import { findRunWindow } from './window.ts';

/** Share of the plan's load duration the series must span for the run to count as complete. */
export const MIN_SPAN_RATIO = 0.95;

export interface JudgeOptions {
  profile: string;
  testid: string;
  prometheus: string;
  /** The plan.json the runners ran (PLAN_FILE); else the profile is resolved with the overrides below. */
  planFile?: string;
  scale?: number;
  timeScale?: number;
  durationSeconds?: number;
  quick?: boolean;
  /** Window bounds, s since the epoch; found from the run's series when not given. */
  from?: number;
  to?: number;
  mapping?: string;
  namespace?: string;
  /** Namespace of the queue exporter when not the target's (`--queue-namespace`). */
  queueNamespace?: string;
  /** The runners' `k6 run --summary-export` files. */
  summaries?: string[];
  /** Scrape job of the stack under test, when that Prometheus scrapes it (scrape coverage check). */
  stackJob?: string;
  /** Scrape interval of that Prometheus, s. @default 1 */
  scrapeIntervalSeconds?: number;
  allowHosts?: string[];
  /** Why the run itself is in doubt (an engine failure, a time-out): the verdict is at best inconclusive. */
  inconclusiveBecause?: string;
  runsDir?: string;
  log?: (line: string) => void;
}

export interface JudgeResult {
  plan: Plan;
  verdict: Verdict;
  runDir: string;
  files: string[];
}

async function planFor(o: JudgeOptions): Promise<Plan> {
  const loaded = await loadProfile(o.profile);
  if (o.planFile) {
    let plan: Plan;
    try {
      plan = JSON.parse(await readFile(o.planFile, 'utf8')) as Plan;
    } catch (err) {
      throw new InputError(`--plan ${o.planFile}: cannot be read as a plan.json (${(err as Error).message})`);
    }
    if (plan.profile !== loaded.profile.name) throw new InputError(`--plan ${o.planFile}: profile is ${JSON.stringify(plan.profile)}, not ${JSON.stringify(loaded.profile.name)} (--profile)`);
    return { ...plan, runId: o.testid };
  }
  return resolvePlan(loaded.profile, {
    runId: o.testid,
    file: loaded.file,
    targetUrl: 'http://127.0.0.1:0',
    ...(o.quick !== undefined ? { quick: o.quick } : {}),
    ...(o.scale !== undefined ? { scale: o.scale } : {}),
    ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
    ...(o.durationSeconds !== undefined ? { durationSeconds: o.durationSeconds } : {}),
    inputs: { judged: 'external run' },
  });
}

async function windowFor(source: MetricSource, o: JudgeOptions): Promise<RunWindow | string> {
  if (o.from !== undefined && o.to !== undefined) {
    if (o.to <= o.from) throw new InputError(`--to: must be after --from (got ${o.from} .. ${o.to})`);
    return { start: o.from, end: o.to };
  }
  const found = await findRunWindow(source, o.testid);
  if (!found.ok) return found.reason;
  return { start: o.from ?? found.window.start, end: o.to ?? found.window.end };
}

/** Judges run `testid` from `prometheus` and writes its run folder. */
export async function judgeExternal(o: JudgeOptions): Promise<JudgeResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (!/^[a-zA-Z0-9._:-]+$/.test(o.testid)) throw new InputError(`--testid: must be letters, digits, '.', '_', ':' or '-' (got ${JSON.stringify(o.testid)})`);
  assertAllowed(o.prometheus, [...DEFAULT_ALLOW, ...(o.allowHosts ?? [])], '--prometheus');
  const mappingName = o.mapping ?? 'kubernetes';
  const mapping = resolveMapping(mappingName, o.queueNamespace);
  const plan = await planFor(o);
  const source = new PrometheusClient(o.prometheus, { allow: [...DEFAULT_ALLOW, ...(o.allowHosts ?? [])], timeoutMs: clientTimeoutMs(plan.durationSeconds) });
  // Nothing to judge from: bad input, before any run folder exists.
  await source.query('vector(1)').catch((err: Error) => {
    throw new InputError(`--prometheus: ${o.prometheus} does not answer queries (${err.message})`);
  });
  const runDir = path.join(o.runsDir ?? RUNS_DIR, o.testid);
  await mkdir(runDir, { recursive: true });
  const planFile = path.join(runDir, 'plan.json');
  await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const target = `external (testid ${o.testid})`;
  const now = Date.now() / 1000;
  let verdict: Verdict;
  let window: RunWindow = { start: now, end: now };
  try {
    const w = await windowFor(source, o);
    if (typeof w === 'string') {
      verdict = inconclusiveVerdict(plan, { window, interrupted: false, k6ExitCode: null, target }, w);
    } else {
      window = w;
      const span = w.end - w.start;
      const complete = span >= plan.durationSeconds * MIN_SPAN_RATIO;
      log(`judging ${o.testid}: window ${new Date(w.start * 1000).toISOString()} .. ${new Date(w.end * 1000).toISOString()} (${span.toFixed(0)} s of the plan's ${plan.durationSeconds} s)`);
      const scrape = o.scrapeIntervalSeconds ?? (await externalScrapeInterval(source, log));
      const summary = o.summaries && o.summaries.length > 0 ? await readSummaries(o.summaries) : null;
      verdict = await judgeRun(source, plan, {
        window: w,
        k6Summary: summary,
        // Unknown for an external run: complete when the series span the plan (0), else none.
        k6ExitCode: complete ? 0 : null,
        interrupted: false,
        ...(o.stackJob ? { stackJob: o.stackJob } : {}),
        scrapeIntervalSeconds: scrape,
        target,
        evidence: { mapping, namespace: o.namespace ?? 'default' },
        judgeTriggers: (src, p, win) => judgeTriggers(src, p, { start: win.start, end: win.end + 2 }, { scrapeIntervalSeconds: scrape, mapping, namespace: o.namespace ?? 'default' }),
      });
      if (!complete) verdict.reasons.push(`the run's series span ${span.toFixed(0)} s, less than ${MIN_SPAN_RATIO * 100} % of the plan's ${plan.durationSeconds} s: k6 did not run to its end, or the window is cut`);
      if (!summary) verdict.reasons.push('no k6 summary given (--summary FILE per runner): the request count cannot be cross-checked against k6');
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    verdict = inconclusiveVerdict(plan, { window, interrupted: false, k6ExitCode: null, target }, `could not judge: ${(err as Error).message}`);
  }
  if (o.inconclusiveBecause) {
    // Partial data from a run that broke judges neither way.
    verdict.reasons.unshift(o.inconclusiveBecause);
    verdict.status = 'inconclusive';
  }
  // An external run publishes nothing: its series are already where its owner looks.
  const out = await reportAndPublish(runDir, plan, verdict, source, async () => undefined, log);
  return { plan, verdict: out.verdict, runDir, files: [planFile, ...out.files] };
}
