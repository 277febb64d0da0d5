/**
 * Command to first request: `npm run spike -- --quick` as a user types it, timed from the spawn
 * to the stack's first route request (the `stack: first request at` line the run keeps in its
 * live.log), then interrupted (Ctrl-C: the run stops, says `inconclusive` and exits 130).
 * Cold: tsx's transform cache removed and the kernel's page cache dropped (when this user may;
 * the result says so); warm: the same command again, caches as the cold run left them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/util/paths.ts';
import { round } from './cpu.ts';

export interface StartupRun {
  kind: 'cold' | 'warm';
  /** Spawn to the stack's first route request, s (null: none within the time limit). */
  firstRequestSeconds: number | null;
  /** How the interrupted command ended: its exit code, or the signal npm died of. */
  exit: string;
  /** Cold only: whether the page cache could be dropped. */
  pageCacheDropped?: boolean;
}

const LIMIT_MS = 60_000;
const FIRST = /^\[stack\] stack: first request at (\S+)$/m;

async function dropCaches(): Promise<boolean> {
  await rm(path.join(os.tmpdir(), `tsx-${process.getuid?.() ?? 0}`), { recursive: true, force: true });
  try {
    await writeFile('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

async function once(kind: StartupRun['kind'], runsDir: string, log: (l: string) => void): Promise<StartupRun> {
  const pageCacheDropped = kind === 'cold' ? await dropCaches() : undefined;
  const t0 = Date.now();
  const child = spawn('npm', ['run', 'spike', '--', '--quick'], { cwd: PROJECT_ROOT, detached: true, env: { ...process.env, SCALE_HARNESS_RUNS_DIR: runsDir, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let runId: string | null = null;
  for (const s of [child.stdout, child.stderr]) {
    createInterface({ input: s }).on('line', (l) => {
      runId ??= /^run (\S+): profile /.exec(l)?.[1] ?? null;
      log(`[startup ${kind}] ${l}`);
    });
  }
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(code === null ? String(signal) : String(code))));
  let first: number | null = null;
  while (Date.now() - t0 < LIMIT_MS && child.exitCode === null) {
    const file = runId ? path.join(runsDir, runId, 'live.log') : null;
    const m = file && existsSync(file) ? FIRST.exec(readFileSync(file, 'utf8')) : null;
    if (m) {
      first = Date.parse(m[1]!) - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const group = -child.pid!;
  try {
    process.kill(group, 'SIGINT');
  } catch {
    /* already gone */
  }
  const kill = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 30_000);
  const exit = await exited;
  clearTimeout(kill);
  return { kind, firstRequestSeconds: first === null ? null : round(first / 1000, 2), exit, ...(pageCacheDropped !== undefined ? { pageCacheDropped } : {}) };
}

/** One cold run, then two warm ones. */
export async function startupRuns(runsDir: string, log: (l: string) => void): Promise<StartupRun[]> {
  const out: StartupRun[] = [];
  for (const kind of ['cold', 'warm', 'warm'] as const) out.push(await once(kind, runsDir, log));
  return out;
}
