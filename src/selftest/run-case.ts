/**
 * One self-test case: a normal quick `run` in its own process (so a crash, a leak or a stuck
 * event loop of one case cannot touch the next), its run folder under the self-test's folder,
 * its output in a log file. Late delays written in graces are resolved first, from the grace
 * the controller derives for the row at the run's time scale.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { graceFor } from '../controller/triggers.ts';
import type { Verdict } from '../controller/types.ts';
import { InputError } from '../errors.ts';
import { scrapeIntervalFor } from '../metrics/prometheus.ts';
import { prepareRun } from '../run/prepare.ts';
import { PROJECT_ROOT } from '../util/paths.ts';
import { spawnChild, stopChild } from '../util/process.ts';
import type { SelftestCase } from './matrix.ts';

/** Longest a quick case may take on the wall clock, s: 60 s of load plus set-up, judging and a slow machine. */
export const CASE_TIMEOUT_SECONDS = 600;

const GRACES = /^late:([^:]+):(\d+(?:\.\d+)?)xgrace$/;

/** The case's `--fault` texts with `late:<trigger>:<n>xgrace` turned into wall seconds (2 decimals). */
export async function resolveFaults(c: SelftestCase): Promise<string[]> {
  if (!c.faults.some((f) => GRACES.test(f))) return c.faults;
  const prep = await prepareRun({ profile: c.profile, quick: true });
  const scrape = scrapeIntervalFor(prep.plan.timeScale);
  return c.faults.map((f) => {
    const m = GRACES.exec(f);
    if (!m) return f;
    const t = prep.plan.triggers.find((x) => x.id === m[1]);
    if (!t) throw new InputError(`selftest case ${c.id}: faults: no trigger "${m[1]}" in ${c.profile} (got ${JSON.stringify(f)})`);
    const seconds = Number(m[2]) * graceFor(t, prep.plan, prep.mapping, scrape).seconds;
    return `late:${t.id}:${Math.max(0.01, Math.round(seconds * 100) / 100)}`;
  });
}

/** The `run` flags of a case. */
export function caseArgs(c: SelftestCase, faults: string[]): string[] {
  return ['run', c.profile, '--quick', ...faults.flatMap((f) => ['--fault', f]), ...(c.noAutoscale ? ['--no-autoscale'] : []), ...c.args];
}

export interface CaseRun {
  exitCode: number | null;
  /** The run's verdict.json, or null when the run wrote none. */
  verdict: Verdict | null;
  /** The run folder, or null. */
  runDir: string | null;
  log: string;
  wallSeconds: number;
  /** Why the case could not be judged on the harness side (time-out, no verdict), or null. */
  trouble: string | null;
}

async function findVerdict(runsDir: string): Promise<{ verdict: Verdict | null; runDir: string | null }> {
  const dirs = await readdir(runsDir).catch(() => [] as string[]);
  for (const d of dirs.sort().reverse()) {
    const file = path.join(runsDir, d, 'verdict.json');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return { verdict: JSON.parse(text) as Verdict, runDir: path.join(runsDir, d) };
  }
  return { verdict: null, runDir: null };
}

/** Runs the case's `run` command as a child process; `signal` stops it (SIGINT, as a user would). */
export async function runCase(c: SelftestCase, faults: string[], dir: string, signal?: AbortSignal): Promise<CaseRun> {
  const runsDir = path.join(dir, 'runs', c.id);
  await mkdir(runsDir, { recursive: true });
  const log = path.join(dir, 'logs', `${c.id}.log`);
  await mkdir(path.dirname(log), { recursive: true });
  const out = createWriteStream(log);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--import', tsx, path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), ...caseArgs(c, faults)];
  out.write(`$ scale-harness ${caseArgs(c, faults).join(' ')}\n`);
  const started = Date.now();
  const child = spawnChild('selftest-case', process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCALE_HARNESS_RUNS_DIR: runsDir, FORCE_COLOR: '0' },
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let trouble: string | null = null;
  const timer = setTimeout(() => {
    trouble = `the run took more than ${CASE_TIMEOUT_SECONDS} s and was stopped`;
    void stopChild(child, 10_000);
  }, CASE_TIMEOUT_SECONDS * 1000);
  const onAbort = (): void => void child.kill('SIGINT');
  signal?.addEventListener('abort', onAbort, { once: true });
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      trouble = `could not start the run: ${err.message}`;
      resolve(null);
    });
  });
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  await new Promise<void>((resolve) => out.end(resolve));
  const found = await findVerdict(runsDir);
  if (!found.verdict && !trouble) trouble = `the run wrote no verdict (exit ${exitCode ?? 'none'}); see ${path.relative(dir, log)}`;
  return { exitCode, ...found, log, wallSeconds: (Date.now() - started) / 1000, trouble };
}
