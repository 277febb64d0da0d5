/**
 * Assembles the verdict of a run from Prometheus: SLOs, traffic, trigger outcomes, the request
 * count cross-checked against k6's own summary, and the data-quality checks that turn missing
 * or gappy data into `inconclusive`.
 */
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { K6Summary } from '../k6/runner.ts';
import { counterTotal, k6Selector } from './queries.ts';
import { judgeSlos, type RunWindow } from './slo.ts';
import { judgeBreakpoint } from './breakpoint.ts';
import { trafficRows } from './traffic.ts';
import { checkFaultsExercised, checkRowData, type EvidenceOptions } from './evidence.ts';
import { combine, type CrossCheck, type Status, type TriggerResult, type Verdict } from './types.ts';

/** Largest |prometheus - k6| / k6 request-count gap that still counts as agreement. */
export const CROSS_CHECK_TOLERANCE = 0.01;
/** Smallest share of expected scrapes of the stack that must be present. */
export const MIN_SCRAPE_COVERAGE = 0.8;

export interface JudgeContext {
  window: RunWindow;
  k6Summary: K6Summary | null;
  k6ExitCode: number | null;
  interrupted: boolean;
  /** A breakpoint run whose k6 was stopped on purpose once an SLO broke. */
  stoppedAtBreak?: boolean;
  /** Scrape job of the stack under test, when the harness scrapes it. */
  stackJob?: string;
  scrapeIntervalSeconds: number;
  target: string;
  /** Judges triggers; omitted when the run does not check scaling. */
  judgeTriggers?: (source: MetricSource, plan: Plan, w: RunWindow) => Promise<TriggerResult[]>;
  /** How trigger rows' queries are built, to check each row had data over the run. */
  evidence?: Omit<EvidenceOptions, 'scrapeIntervalSeconds'>;
}

export function crossCheck(prometheusRequests: number | null, k6Requests: number | null): CrossCheck {
  if (prometheusRequests === null || k6Requests === null) {
    return { prometheusRequests, k6Requests, diffRatio: null, status: 'inconclusive' };
  }
  // No requests on either side is no evidence that the two agree: it never passes.
  if (k6Requests === 0) return { prometheusRequests, k6Requests, diffRatio: prometheusRequests === 0 ? 0 : 1, status: 'inconclusive' };
  const diffRatio = Math.abs(prometheusRequests - k6Requests) / k6Requests;
  return { prometheusRequests, k6Requests, diffRatio, status: diffRatio <= CROSS_CHECK_TOLERANCE ? 'pass' : 'inconclusive' };
}

function crossCheckReason(cc: CrossCheck, summary: K6Summary | null): string {
  if (cc.diffRatio === null) {
    const k6 = summary === null ? 'missing' : summary.unreadable.length > 0 ? 'incomplete' : 'no data';
    return `request count cross-check impossible (Prometheus ${cc.prometheusRequests ?? 'no data'}, k6 summary ${k6})`;
  }
  if (cc.k6Requests === 0) return `k6 counted no requests (Prometheus ${cc.prometheusRequests}): nothing to cross-check`;
  return `Prometheus counted ${cc.prometheusRequests} requests, k6 ${cc.k6Requests}: ${(cc.diffRatio * 100).toFixed(2)} % apart (over ${CROSS_CHECK_TOLERANCE * 100} %)`;
}

/** k6 exit codes that mean the test ran to its end (0 ok, 99 thresholds failed). */
function k6Completed(code: number | null): boolean {
  return code === 0 || code === 99;
}

async function scrapeCoverage(source: MetricSource, job: string, w: RunWindow, interval: number): Promise<number | null> {
  const range = w.end - w.start;
  if (range < interval * 3) return null;
  const r = await source.query(`count_over_time(up{job="${job}"}[${Math.round(range)}s])`, w.end);
  const got = r[0]?.value[1];
  const up = await source.query(`min_over_time(up{job="${job}"}[${Math.round(range)}s])`, w.end);
  if (got === undefined) return 0;
  const downs = up[0]?.value[1] === 0 ? 0.5 : 1;
  return Math.min(1, (got / (range / interval)) * downs);
}

export async function judgeRun(source: MetricSource, plan: Plan, ctx: JudgeContext): Promise<Verdict> {
  const w = ctx.window;
  const reasons: string[] = [];
  const slos = await judgeSlos(source, plan, w);
  const traffic = await trafficRows(source, plan, w);
  const promTotal = (await source.query(counterTotal('k6_http_reqs_total', k6Selector(plan.runId), w.end - w.start + 5), w.end))[0]?.value[1];
  const summary = ctx.k6Summary;
  // A partial sum (one runner's summary unreadable) cannot be compared with Prometheus's total.
  const cc = crossCheck(promTotal ?? null, summary && summary.unreadable.length === 0 ? summary.httpReqs : null);
  const judged = ctx.judgeTriggers ? await ctx.judgeTriggers(source, plan, w) : [];
  const withData = ctx.evidence ? await checkRowData(source, plan, w, judged, { ...ctx.evidence, scrapeIntervalSeconds: ctx.scrapeIntervalSeconds }) : judged;
  const triggers = checkFaultsExercised(withData, plan.faults ?? []);
  const breakpoint = await judgeBreakpoint(source, plan, w);
  if (breakpoint && plan.breakpoint) {
    // In a breakpoint run the stop-on SLOs are meant to break: the headroom is the verdict.
    for (const s of slos) {
      if (plan.breakpoint.stopOn.includes(s.id) && s.status === 'fail') {
        s.status = 'pass';
        s.detail = `breakpoint: ${s.detail}`;
      }
    }
  }

  const statuses: Status[] = [...slos.map((s) => s.status), ...triggers.map((t) => t.status), cc.status];
  if (breakpoint) {
    statuses.push(breakpoint.status);
    if (breakpoint.status !== 'pass') reasons.push(`breakpoint: ${breakpoint.detail}`);
  }
  for (const s of slos) if (s.status !== 'pass') reasons.push(`SLO ${s.id}: ${s.detail}`);
  for (const t of triggers) if (t.status !== 'pass') reasons.push(`trigger ${t.id}: ${t.outcome}: ${t.detail}`);
  if (cc.status !== 'pass') reasons.push(crossCheckReason(cc, summary));
  for (const u of summary?.unreadable ?? []) {
    statuses.push('inconclusive');
    reasons.push(`k6 summary ${u.file} could not be read: ${u.reason}`);
  }
  if (ctx.stackJob) {
    const cov = await scrapeCoverage(source, ctx.stackJob, w, ctx.scrapeIntervalSeconds);
    if (cov !== null && cov < MIN_SCRAPE_COVERAGE) {
      statuses.push('inconclusive');
      reasons.push(`the stack's metrics are gappy: ${(cov * 100).toFixed(0)} % of expected scrapes (need ${MIN_SCRAPE_COVERAGE * 100} %)`);
    }
  }
  for (const row of traffic) {
    // A planned journey that sent nothing is missing data, like a silent service.
    const silent = row.kind === 'service' || (row.kind === 'journey' && (row.targetIterations ?? 0) > 0);
    if (silent && row.requests === 0) {
      statuses.push('inconclusive');
      reasons.push(`no requests recorded for ${row.kind} ${row.name}`);
    }
  }
  const k6Crashed = !k6Completed(ctx.k6ExitCode) && !ctx.stoppedAtBreak;
  if (k6Crashed) reasons.push(`k6 did not complete (exit code ${ctx.k6ExitCode ?? 'none'})`);
  if (ctx.interrupted) reasons.push('the run was interrupted before its end');
  // An interrupted run, or one whose k6 stopped early, judged only part of its plan: whatever
  // that part showed, the run as planned is unjudged.
  const status = ctx.interrupted || k6Crashed ? 'inconclusive' : combine(statuses);
  return {
    runId: plan.runId,
    profile: plan.profile,
    stack: plan.stack,
    target: ctx.target,
    status,
    reasons,
    startedAt: w.start,
    endedAt: w.end,
    scale: plan.scale,
    timeScale: plan.timeScale,
    slos,
    traffic,
    crossCheck: cc,
    triggers,
    ...(breakpoint ? { breakpoint } : {}),
    interrupted: ctx.interrupted,
    k6ExitCode: ctx.k6ExitCode,
    faults: plan.faults ?? [],
  };
}

/** The verdict written when judgement itself was impossible (Prometheus gone, tool crash). */
export function inconclusiveVerdict(plan: Plan, ctx: Pick<JudgeContext, 'window' | 'interrupted' | 'k6ExitCode' | 'target'>, reason: string): Verdict {
  return {
    runId: plan.runId,
    profile: plan.profile,
    stack: plan.stack,
    target: ctx.target,
    status: 'inconclusive',
    reasons: [reason],
    startedAt: ctx.window.start,
    endedAt: ctx.window.end,
    scale: plan.scale,
    timeScale: plan.timeScale,
    slos: [],
    traffic: [],
    crossCheck: { prometheusRequests: null, k6Requests: null, diffRatio: null, status: 'inconclusive' },
    triggers: [],
    interrupted: ctx.interrupted,
    k6ExitCode: ctx.k6ExitCode,
    faults: plan.faults ?? [],
  };
}
