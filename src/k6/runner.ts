/**
 * Runs `k6 run scenarios/<name>.ts` with the resolved plan: metrics go to Prometheus by remote
 * write (native histograms), every sample is tagged with the run id, and k6's own end-of-test
 * summary is exported into the run folder. With `parallel > 1`, N k6 processes split the load
 * with execution segments, exactly as k6-operator splits a TestRun.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawnChild } from '../util/process.ts';

export interface K6RunOptions {
  bin: string;
  script: string;
  planFile: string;
  runDir: string;
  runId: string;
  remoteWriteUrl: string;
  /** Number of local k6 processes. @default 1 */
  parallel?: number;
  /** Receives every line k6 prints (prefixed per runner when parallel). */
  onLine?: (line: string) => void;
  /** `k6 run --quiet`: no banner and no per-second progress; its summary and errors stay. */
  quiet?: boolean;
  /** Extra environment for k6. */
  env?: Record<string, string>;
}

export interface K6RunnerResult {
  index: number;
  exitCode: number | null;
  signal: string | null;
  summaryFile: string;
}

export interface K6Run {
  /** Resolves when every runner has exited. */
  done: Promise<K6RunnerResult[]>;
  /** Asks k6 to stop (SIGINT: k6 stops gracefully and still writes its summary). */
  stop(): void;
}

/** Execution segment arguments for runner i (1-based) of n. */
export function segmentArgs(i: number, n: number): string[] {
  if (n <= 1) return [];
  const seq = Array.from({ length: n + 1 }, (_, k) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`));
  const from = i - 1 === 0 ? '0' : `${i - 1}/${n}`;
  const to = i === n ? '1' : `${i}/${n}`;
  return [`--execution-segment=${from}:${to}`, `--execution-segment-sequence=${seq.join(',')}`];
}

export function k6Args(opts: K6RunOptions, index: number, n: number): string[] {
  const summaryFile = summaryPath(opts.runDir, index, n);
  return [
    'run',
    '--out',
    'experimental-prometheus-rw',
    '--tag',
    `testid=${opts.runId}`,
    '--tag',
    `runner=${index}`,
    `--summary-export=${summaryFile}`,
    ...(opts.quiet ? ['--quiet'] : []),
    ...segmentArgs(index, n),
    opts.script,
  ];
}

export function summaryPath(runDir: string, index: number, n: number): string {
  return path.join(runDir, n <= 1 ? 'k6-summary.json' : `k6-summary-${index}.json`);
}

export function k6Env(opts: K6RunOptions): Record<string, string> {
  return {
    PLAN_FILE: opts.planFile,
    K6_PROMETHEUS_RW_SERVER_URL: opts.remoteWriteUrl,
    // Trends as native histograms: aggregatable across runners, unlike per-runner quantiles.
    K6_FEATURES: 'native-histograms',
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    K6_NO_USAGE_REPORT: 'true',
    K6_NO_COLOR: 'true',
    ...opts.env,
  };
}

export function startK6(opts: K6RunOptions): K6Run {
  const n = Math.max(1, opts.parallel ?? 1);
  const children: ChildProcess[] = [];
  const runners: Array<Promise<K6RunnerResult>> = [];
  for (let i = 1; i <= n; i++) {
    // Own process group (spawnChild): a terminal Ctrl-C reaches the harness, which then stops
    // k6 itself, so the order of shutdown (k6 first, then judgement, then the stack) is ours.
    const child = spawnChild('k6', opts.bin, k6Args(opts, i, n), { env: { ...process.env, ...k6Env(opts) }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const prefix = n > 1 ? `[k6 ${i}/${n}] ` : '[k6] ';
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (line.trim()) opts.onLine?.(prefix + line);
      });
    }
    runners.push(
      new Promise((resolve) => {
        child.on('error', (err) => {
          opts.onLine?.(`${prefix}failed to start: ${err.message}`);
          resolve({ index: i, exitCode: null, signal: 'spawn-error', summaryFile: summaryPath(opts.runDir, i, n) });
        });
        child.on('exit', (code, signal) =>
          resolve({ index: i, exitCode: code, signal, summaryFile: summaryPath(opts.runDir, i, n) }),
        );
      }),
    );
  }
  let stopping = false;
  const stop = () => {
    const firstTime = !stopping;
    stopping = true;
    for (const c of children) {
      if (c.exitCode !== null || c.pid === undefined) continue;
      try {
        c.kill(firstTime ? 'SIGINT' : 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  return { done: Promise.all(runners), stop };
}

/** What the controller needs from k6's own summary (summed over the runners whose file was read). */
export interface K6Summary {
  httpReqs: number;
  iterations: number;
  droppedIterations: number;
  failedRate: number | null;
  /** Summary files that could not be read or parsed, and why: their runners' counts are missing. */
  unreadable: Array<{ file: string; reason: string }>;
}

interface SummaryJson {
  metrics?: Record<string, Record<string, number> | undefined>;
}

/** Sums the runners' summaries; a file that cannot be read is listed, never skipped quietly. */
export async function readSummaries(files: string[]): Promise<K6Summary> {
  const out: K6Summary = { httpReqs: 0, iterations: 0, droppedIterations: 0, failedRate: null, unreadable: [] };
  let failed = 0;
  for (const file of files) {
    let json: SummaryJson;
    try {
      json = JSON.parse(await readFile(file, 'utf8')) as SummaryJson;
    } catch (err) {
      const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
      out.unreadable.push({ file, reason });
      continue;
    }
    const m = json.metrics ?? {};
    const reqs = m.http_reqs?.count ?? 0;
    out.httpReqs += reqs;
    out.iterations += m.iterations?.count ?? 0;
    out.droppedIterations += m.dropped_iterations?.count ?? 0;
    failed += (m.http_req_failed?.value ?? 0) * reqs;
  }
  out.failedRate = out.httpReqs > 0 ? failed / out.httpReqs : null;
  return out;
}
