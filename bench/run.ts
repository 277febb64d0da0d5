/**
 * `npm run bench [-- --rates 500,1000,... --budget 420]`: how fast the harness can drive the
 * embedded stack on this machine, and what it costs. In one bounded run:
 * 1. wrk against the stack alone (closed loop): the gateway's own ceiling;
 * 2. the rate search: full harness runs (runProfile, bench/profiles/flat.ts) up a ladder of
 *    rates until the first step the harness's verdict does not pass, then one or two bisection
 *    steps while the budget allows;
 * 3. a plain `k6 run` of the same script and plan at the highest sustained rate (and at the
 *    first failed one, budget permitting): the harness's overhead as a ratio.
 * CPU of every process is sampled from /proc throughout. Results: bench/results/latest.json
 * (schema in bench/README.md), latest.md (also printed) and latest.log (full log, not committed).
 *
 * Exit codes: 0 measured, 1 the bench itself failed, 2 bad flags, 4 a tool is missing,
 * 130 interrupted (partial results go to bench/results/partial.json.tmp).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, exitForError } from '../src/cli/exit-codes.ts';
import { HarnessError, InputError, ToolError } from '../src/errors.ts';
import { spawnStack } from '../src/stack/spawn.ts';
import { ensureTool, probeVersion, which } from '../src/tools/index.ts';
import { CpuSampler, loadAverage, round } from './lib/cpu.ts';
import { FLAT_PROFILE, harnessStep, type HarnessStep } from './lib/harness-step.ts';
import { goalFigures, searchFigures, writeGoals } from './lib/goals.ts';
import { markdown } from './lib/markdown.ts';
import { killAllNow, killPids, stopAll, stopStack, track } from './lib/procs.ts';
import { rawK6, type RawK6Run } from './lib/raw-k6.ts';
import { SCHEMA, compare, costAt, notes, type BenchResults } from './lib/results.ts';
import { runWrk, type WrkResult } from './lib/wrk.ts';
import { FLAT_SHAPE } from './profiles/flat.ts';

const RESULTS_DIR = path.join(import.meta.dirname, 'results');
/** Gateway req/s at scale 1.0: the plan's current peak. */
const GOAL_RPS = 10_000;
const DEFAULT_RATES = [500, 1000, 2000, 3000, 4000, 6000, 8000, 10_000];
/** Planning budget, s; the hard stop is HARD_STOP_SECONDS after the start. */
const DEFAULT_BUDGET_SECONDS = 420;
const HARD_STOP_SECONDS = 470;
/** First guess of one harness step's wall time before one has been measured, s. */
const STEP_GUESS_SECONDS = 40;
const RAW_GUESS_SECONDS = FLAT_SHAPE.rampSeconds + FLAT_SHAPE.holdSeconds + 12;
const WRK = [
  { path: '/rewards/balance', threads: 2, connections: 64, seconds: 10 },
  // No modeled service time: the ceiling of the gateway's HTTP handling itself.
  { path: '/health', threads: 2, connections: 64, seconds: 10 },
];

function parseFlags(argv: string[]): { rates: number[]; budget: number } {
  let values: { rates?: string; budget?: string };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { rates: { type: 'string' }, budget: { type: 'string' } } }));
  } catch (err) {
    throw new InputError(`${(err as Error).message.split('\n')[0]} (flags: --rates 500,1000,... --budget SECONDS)`);
  }
  const rates = values.rates === undefined ? DEFAULT_RATES : values.rates.split(',').map((x) => Number(x.trim()));
  if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0) || rates.some((r, i) => i > 0 && r <= (rates[i - 1] ?? 0))) {
    throw new InputError(`--rates: must be increasing gateway rates in req/s, e.g. 500,1000,2000 (got ${JSON.stringify(values.rates)})`);
  }
  const budget = values.budget === undefined ? DEFAULT_BUDGET_SECONDS : Number(values.budget);
  if (!Number.isFinite(budget) || budget < 60 || budget > HARD_STOP_SECONDS) {
    throw new InputError(`--budget: must be 60..${HARD_STOP_SECONDS} s (got ${JSON.stringify(values.budget)})`);
  }
  return { rates, budget };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  await mkdir(RESULTS_DIR, { recursive: true });
  const logFile = createWriteStream(path.join(RESULTS_DIR, 'latest.log'));
  const log = (l: string) => logFile.write(`${new Date().toISOString().slice(11, 23)} ${l}\n`);
  const say = (l: string) => {
    process.stdout.write(`${l}\n`);
    log(l);
  };

  // Tools first, before the clock starts: provisioning is not what is measured.
  const k6 = await ensureTool('k6', { log });
  const prom = await ensureTool('prometheus', { log });
  const wrkBin = process.env.WRK_BIN ?? (await which('wrk'));
  if (!wrkBin) throw new ToolError("wrk: not found; install Debian's package with 'sudo apt-get install wrk' or set WRK_BIN");
  const wrkVersion = (await probeVersion(wrkBin, ['--version'])) ?? 'unknown';

  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;
  const abort = new AbortController();
  const sampler = new CpuSampler(250);
  sampler.start();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      killAllNow();
      for (const pid of sampler.livePids()) process.kill(pid, 'SIGKILL');
      process.exit(EXIT.interrupted);
    }
    say('interrupted: stopping k6, Prometheus and the stacks (Ctrl-C again to kill them)');
    abort.abort();
    void stopAll();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const hardStop = setTimeout(() => {
    say(`hard stop: ${HARD_STOP_SECONDS} s reached`);
    abort.abort();
    void stopAll();
  }, HARD_STOP_SECONDS * 1000);
  hardStop.unref();
  process.on('exit', () => {
    killAllNow();
    killPids(sampler.livePids());
  });

  const runsDir = await mkdtemp(path.join(os.tmpdir(), 'scale-harness-bench-'));
  const startLoad = loadAverage();
  say(`bench: ${os.cpus().length} cores, load average ${startLoad.join(' ')}; budget ${flags.budget} s; runs in ${runsDir}; full log in bench/results/latest.log`);

  // 1. wrk against the stack alone.
  const wrk: WrkResult[] = [];
  const stack = track(await spawnStack({ stack: 'meqenet', scale: 1, timeScale: 1, autoscale: false, onLog: log }));
  try {
    for (const o of WRK) {
      if (abort.signal.aborted) break;
      const w = await runWrk(wrkBin, stack.url, o, sampler, log);
      wrk.push(w);
      say(`wrk ${o.path} -t${o.threads} -c${o.connections} ${o.seconds}s: ${w.rps} req/s, p99 ${w.latencyMs.p99 ?? 'n/a'} ms`);
    }
  } finally {
    await stopStack(stack);
  }

  // 2. The rate search.
  const steps: HarnessStep[] = [];
  const rawRuns: RawK6Run[] = [];
  let stepSeconds = STEP_GUESS_SECONDS;
  let stoppedBecause = 'every rate of the ladder was sustained';
  let lo: number | null = null;
  let hi: number | null = null;
  const fits = (reserveRaw: number) => elapsed() + stepSeconds + reserveRaw * RAW_GUESS_SECONDS <= flags.budget;
  const step = async (rate: number): Promise<HarnessStep> => {
    const s = await harnessStep(rate, { sampler, runsDir, signal: abort.signal, log });
    steps.push(s);
    stepSeconds = Math.max(stepSeconds, s.wall.totalSeconds + 2);
    const c = s.cpuLoad.cpuSeconds;
    say(
      `step ${rate} req/s: ${s.verdict}; achieved ${s.k6?.achievedRps ?? 'n/a'} req/s, dropped ${s.k6?.droppedPct ?? 'n/a'} %, p99 ${s.p99Ms ?? 'n/a'} ms; ` +
        `${s.wall.totalSeconds} s; CPU in load stack ${c.stack} k6 ${c.k6} prom ${c.prometheus} harness ${c.harness} s; others ${s.cpuLoad.othersBusyCores} cores; load ${s.loadAverage.end[0]}`,
    );
    if (s.verdict !== 'pass') say(`  ${s.reasons.slice(0, 3).join('\n  ')}`);
    return s;
  };
  for (const rate of flags.rates) {
    if (abort.signal.aborted) break;
    if (!fits(1)) {
      stoppedBecause = `time budget: stopped before ${rate} req/s`;
      break;
    }
    const s = await step(rate);
    if (s.verdict === 'pass') lo = rate;
    else {
      hi = rate;
      stoppedBecause = `first failure at ${rate} req/s (${s.verdict})`;
      break;
    }
  }
  // Bisect between the last pass and the first failure while the gap is wide and time is left.
  for (let i = 0; i < 2 && lo !== null && hi !== null && hi - lo > 0.15 * lo && !abort.signal.aborted; i++) {
    const mid = Math.round((lo + hi) / 2 / 100) * 100;
    if (mid <= lo || mid >= hi || !fits(1)) break;
    const s = await step(mid);
    if (s.verdict === 'pass') lo = mid;
    else hi = mid;
    stoppedBecause = `bisected between the last pass and the first failure: ${lo} passes, ${hi} fails`;
  }

  // 3. Raw k6 at the highest sustained rate, then at the first failed one if time allows.
  const comparisons = [];
  for (const rate of [lo, hi]) {
    if (rate === null || abort.signal.aborted) continue;
    if (rate === hi && elapsed() + RAW_GUESS_SECONDS > flags.budget) break;
    const r = await rawK6(rate, { k6Bin: k6.path, dir: runsDir, sampler, log });
    rawRuns.push(r);
    const h = steps.find((s) => s.targetRps === rate);
    if (h) comparisons.push(compare(h, r));
    say(`raw k6 ${rate} req/s: achieved ${r.k6?.achievedRps ?? 'n/a'} req/s, dropped ${r.k6?.droppedPct ?? 'n/a'} %, p99 ${r.k6?.p99MsK6 ?? 'n/a'} ms; CPU k6 ${r.cpu.cpuSeconds.k6} stack ${r.cpu.cpuSeconds.stack} s`);
  }
  clearTimeout(hardStop);
  // 4. CPU per request against its references, the 24 h soak's judging (bench/lib/goals.ts).
  const goals = abort.signal.aborted ? null : await goalFigures(searchFigures(steps, lo), { k6Bin: k6.path, dir: runsDir, sampler, log, say });
  sampler.stop();

  // 5. Results.
  const costSteps = [lo, hi].map((r) => steps.find((s) => s.targetRps === r)).filter((s): s is HarnessStep => s !== undefined);
  const costs = costSteps.map((s) => costAt(s, GOAL_RPS));
  const base: Omit<BenchResults, 'analysis'> = {
    schema: SCHEMA,
    createdAt: new Date(t0).toISOString(),
    durationSeconds: round(elapsed(), 1),
    complete: !abort.signal.aborted,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.versions.node,
      tools: { k6: k6.version, prometheus: prom.version, wrk: wrkVersion },
      loadAverage: { start: startLoad, end: loadAverage() },
    },
    config: {
      rates: flags.rates,
      rampSeconds: FLAT_SHAPE.rampSeconds,
      holdSeconds: FLAT_SHAPE.holdSeconds,
      slo: { p99Ms: 4000, droppedPct: 0.5, errorPct: 1 },
      budgetSeconds: flags.budget,
      profile: path.relative(path.join(import.meta.dirname, '..'), FLAT_PROFILE),
      scenario: 'scenarios/spike.ts',
    },
    goal: { targetRps: GOAL_RPS, reached: lo !== null && lo >= GOAL_RPS, fractionReached: lo === null ? null : round(lo / GOAL_RPS, 3) },
    search: { highestSustainedRps: lo, firstFailedRps: hi, stoppedBecause, steps },
    wrk,
    rawK6: { runs: rawRuns, comparisons },
  };
  const results: BenchResults = { ...base, analysis: { costs, notes: notes(base, costs) } };
  const md = markdown(results);
  if (abort.signal.aborted) {
    await writeFile(path.join(RESULTS_DIR, 'partial.json.tmp'), `${JSON.stringify(results, null, 2)}\n`);
    say('interrupted: partial results in bench/results/partial.json.tmp (latest.* left as they were)');
    logFile.end();
    return EXIT.interrupted;
  }
  await writeFile(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const goalsMd = goals ? await writeGoals(RESULTS_DIR, goals) : '';
  await writeFile(path.join(RESULTS_DIR, 'latest.md'), `${md}\n${goalsMd}`);
  process.stdout.write(`\n${md}\n${goalsMd}\n`);
  logFile.end();
  return EXIT.pass;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    await stopAll().catch(() => undefined);
    process.stderr.write(`bench: ${err instanceof HarnessError ? err.message : ((err as Error).stack ?? String(err))}\n`);
    process.exitCode = exitForError(err);
  },
);
