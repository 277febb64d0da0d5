/**
 * `npm run bench:soak24 [-- --hours 24]`: how long the harness takes to judge a 24 h soak, and
 * how much memory it needs. A synthetic run of the soak profile at time scale 1 and scale 1
 * (bench/lib/soak-dataset.ts: k6's and the stack's series at their real 1 s density) is
 * remote-written, in time order with past timestamps, into a Prometheus started as a run
 * starts it; then a separate process judges it as `run` does and collects the report series.
 * `npm run bench` calls soak24() too.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPrometheus } from '../src/metrics/prometheus.ts';
import type { Plan } from '../src/plan/types.ts';
import { prepareRun } from '../src/run/prepare.ts';
import { ensureTool } from '../src/tools/index.ts';
import { loadAverage, round } from './lib/cpu.ts';
import { syntheticRun, writeRun } from './lib/soak-dataset.ts';

/** Goals (issue: a 24 h soak judged in a minute). */
export const SOAK24_GOALS = { judgeSeconds: 60, maxRssMiB: 256 };

export interface Soak24Result {
  hours: number;
  series: number;
  samples: number;
  writeSeconds: number;
  judgeSeconds: number;
  seriesSeconds: number;
  maxRssMiB: number;
  queries: number;
  slowest: Array<{ kind: string; expr: string; seconds: number }>;
  status: string;
  reasons: string[];
  crossCheck: unknown;
  /** Whole-run p95 as the harness judged it and as Prometheus's histogram_quantile gives it, ms. */
  p95: { harnessMs: number | null; prometheusMs: number | null };
  seriesErrors: string[];
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
}

type JudgeOutput = Omit<Soak24Result, 'hours' | 'series' | 'samples' | 'writeSeconds' | 'loadAverage'>;

function judgeChild(args: string[]): Promise<JudgeOutput> {
  const script = path.join(import.meta.dirname, 'soak24-judge.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`judging failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' | ')}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as JudgeOutput);
    });
  });
}

/** Where the dataset is kept between bench runs (writing 24 h takes minutes). */
function cacheDir(hours: number): string {
  return path.join(os.tmpdir(), 'scale-harness-soak24', `${hours}h-${DATASET_VERSION}`);
}

/** Bump when the synthetic run changes: a cached dataset of another version is rewritten. */
const DATASET_VERSION = 'v1';
/** A cached dataset older than this is rewritten (the run's Prometheus keeps 2 days), s. */
const CACHE_MAX_AGE_SECONDS = 30 * 3600;

interface CachedRun {
  plan: Plan;
  start: number;
  httpReqs: number;
  iterations: number;
  samples: number;
  series: number;
  writeSeconds: number;
}

async function readCache(dir: string): Promise<CachedRun | null> {
  try {
    const c = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as CachedRun;
    return c.start > Date.now() / 1000 - CACHE_MAX_AGE_SECONDS ? c : null;
  } catch {
    return null;
  }
}

export async function soak24(opts: { hours?: number; fresh?: boolean; log?: (line: string) => void } = {}): Promise<Soak24Result> {
  const hours = opts.hours ?? 24;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const durationSeconds = Math.round(hours * 3600);
  const prom = await ensureTool('prometheus', { log });
  const dir = cacheDir(hours);
  let cached = opts.fresh ? null : await readCache(dir);
  if (!cached) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const prometheus = await startPrometheus({ bin: prom.path, targets: [], scrapeIntervalSeconds: 1, dataDir: dir, log });
  try {
    if (!cached) {
      const { plan } = await prepareRun({ profile: 'soak', durationSeconds, scale: 1, timeScale: 1 });
      const run = syntheticRun(plan);
      const start = Math.floor(Date.now() / 1000) - durationSeconds - 120;
      log(`writing ${hours} h of ${run.hist.length} histogram and ${run.floats.length} float series (1 s apart) into ${prometheus.url}`);
      const w0 = performance.now();
      const samples = await writeRun(prometheus.remoteWriteUrl, run, start * 1000, durationSeconds, 120, (done) => log(`  ${Math.round(done / 3600)} h written`));
      const writeSeconds = round((performance.now() - w0) / 1000, 1);
      cached = { plan, start, httpReqs: run.httpReqs, iterations: run.iterations, samples, series: run.hist.length + run.floats.length, writeSeconds };
      await writeFile(path.join(dir, 'run.json'), JSON.stringify(cached));
      log(`wrote ${samples} samples in ${writeSeconds} s`);
    } else log(`reusing the ${hours} h dataset in ${dir}`);
    const planFile = path.join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(cached.plan));
    const loadStart = loadAverage();
    const c = cached;
    const judged = await judgeChild([planFile, prometheus.url, String(c.start), String(c.start + durationSeconds), String(c.httpReqs), String(c.iterations)]);
    return { hours, series: c.series, samples: c.samples, writeSeconds: c.writeSeconds, ...judged, loadAverage: { start: loadStart, end: loadAverage() } };
  } finally {
    await prometheus.stop();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({ options: { hours: { type: 'string' }, fresh: { type: 'boolean' } } });
  soak24({ hours: values.hours === undefined ? 24 : Number(values.hours), fresh: values.fresh ?? false })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`soak24: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
