/**
 * Safe to stop: `npm run spike -- --quick` in a real pseudo-terminal (tmux), interrupted 20 s
 * into the load by Ctrl-C on the terminal (its whole foreground process group, as a user's
 * keyboard does), by Ctrl-C twice, by SIGTERM, and by SIGKILL of the harness. Every process of
 * the run is recorded by pid while it runs and must be gone afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/util/paths.ts';
import { isAlive } from '../../src/util/process.ts';
import type { LockHolder } from '../../src/util/run-lock.ts';

const SOCKET = `scale-harness-interrupt-${process.pid}`;
const work = mkdtempSync(path.join(os.tmpdir(), 'interrupt-'));
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    /* no server */
  }
  rmSync(work, { recursive: true, force: true });
});

/** Every descendant of `root`, from the process table. */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [pid, ppid] of rows) {
      if (ppid !== p) continue;
      out.push(pid);
      queue.push(pid);
    }
  }
  return out;
}

async function until<T>(what: string, fn: () => T | null | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = fn();
    if (v !== null && v !== undefined && v !== false) return v;
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function panePid(session: string): number {
  return Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
}

interface Started {
  session: string;
  harness: LockHolder;
  pids: number[];
  log: string;
  exitFile: string;
}

/** Starts the spike in a fresh tmux window and returns once k6 has been loading for 20 s. */
async function startSpike(name: string): Promise<Started> {
  const lockDir = path.join(work, `${name}-lock`);
  const log = path.join(work, `${name}.log`);
  const exitFile = path.join(work, `${name}.exit`);
  const session = name;
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', 'bash --norc --noprofile -i');
  tmux('send-keys', '-t', session, `cd ${PROJECT_ROOT} && SCALE_HARNESS_LOCK_DIR=${lockDir} npm run spike -- --quick >${log} 2>&1`, 'Enter');
  const harness = await until(
    'k6 to start',
    () => {
      const f = existsSync(lockDir) ? readdirSync(lockDir).find((n) => n.endsWith('.json')) : undefined;
      if (!f) return null;
      const h = JSON.parse(readFileSync(path.join(lockDir, f), 'utf8')) as LockHolder;
      return h.children.some((c) => c.name === 'k6') ? h : null;
    },
    120_000,
  );
  await sleep(20_000);
  const pids = descendants(panePid(session));
  // npm, tsx, the harness, the stack, Prometheus and k6 at least.
  expect(pids).toContain(harness.pid);
  for (const c of harness.children) expect(pids).toContain(c.pid);
  expect(harness.children.map((c) => c.name).sort()).toEqual(['k6', 'prometheus', 'stack']);
  return { session, harness, pids, log, exitFile };
}

/** Waits for the command to end, then asks the terminal's shell for its exit status, as a user would. */
async function finished(s: Started, timeoutMs: number): Promise<number> {
  const shell = panePid(s.session);
  await until('the command to exit', () => descendants(shell).length === 0, timeoutMs);
  tmux('send-keys', '-t', s.session, `echo $? >${s.exitFile}`, 'Enter');
  return Number(await until('the exit status', () => (existsSync(s.exitFile) ? readFileSync(s.exitFile, 'utf8').trim() || null : null), 5000));
}

function verdictOf(s: Started): { status: string; interrupted: boolean; reasons: string[] } {
  const m = /run (\S+): profile/.exec(readFileSync(s.log, 'utf8'));
  expect(m).not.toBeNull();
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'reports', 'runs', m![1]!, 'verdict.json'), 'utf8')) as { status: string; interrupted: boolean; reasons: string[] };
}

async function noneLeft(pids: number[]): Promise<void> {
  const left = await until('every process of the run to end', () => (pids.every((p) => !isAlive(p)) ? [] : null), 5000).catch(() => pids.filter((p) => isAlive(p)));
  expect(left).toEqual([]);
}

describe('interrupting a run in a terminal', () => {
  it('Ctrl-C: judges what was collected, inconclusive, exit 130, nothing left', async () => {
    const s = await startSpike('ctrlc');
    tmux('send-keys', '-t', s.session, 'C-c');
    expect(await finished(s, 90_000)).toBe(130);
    const v = verdictOf(s);
    expect(v.status).toBe('inconclusive');
    expect(v.interrupted).toBe(true);
    // One line for the Ctrl-C; its relays (npm, tsx) are not a second one: the run was judged.
    const log = readFileSync(s.log, 'utf8');
    expect(log.match(/^scale-harness: SIGINT: stopping the run and writing what was collected \(press Ctrl-C again to stop at once\)$/gm)).toHaveLength(1);
    expect(log).not.toContain('stopping at once;');
    await noneLeft(s.pids);
  }, 240_000);

  it('Ctrl-C twice: stops at once, still writes an inconclusive verdict, exit 130, nothing left', async () => {
    const s = await startSpike('twice');
    tmux('send-keys', '-t', s.session, 'C-c');
    await sleep(1500);
    tmux('send-keys', '-t', s.session, 'C-c');
    expect(await finished(s, 30_000)).toBe(130);
    expect(readFileSync(s.log, 'utf8')).toContain('SIGINT again: stopping at once');
    const v = verdictOf(s);
    expect(v.status).toBe('inconclusive');
    expect(v.interrupted).toBe(true);
    await noneLeft(s.pids);
  }, 240_000);

  it('SIGTERM: inconclusive, exit 130, nothing left', async () => {
    const s = await startSpike('term');
    process.kill(s.harness.pid, 'SIGTERM');
    expect(await finished(s, 90_000)).toBe(130);
    expect(verdictOf(s).status).toBe('inconclusive');
    await noneLeft(s.pids);
  }, 240_000);

  it('SIGKILL of the harness: its children die with it, nothing left within 5 s', async () => {
    const s = await startSpike('kill');
    process.kill(s.harness.pid, 'SIGKILL');
    await noneLeft(s.pids);
  }, 240_000);
});
