/**
 * One machine, one run: the lock refuses a second run naming the first, takes over a stale
 * lock (its harness dead) and stops what that harness left running, and with
 * --allow-concurrent lets both runs know of each other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/util/run-lock.ts';
import { isAlive, processStartTicks } from '../../src/util/process.ts';

let dir = '';
const started: ChildProcess[] = [];
const saved = process.env.SCALE_HARNESS_LOCK_DIR;

function sleeper(): ChildProcess {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  started.push(c);
  return c;
}

function holder(pid: number, command: string, children: Array<{ pid: number; name: string; startTicks: number | null }> = []): void {
  const h = { pid, startTicks: processStartTicks(pid), command, cwd: '/somewhere', startedAt: '2026-11-30T21:00:00.000Z', allowConcurrent: false, children };
  writeFileSync(path.join(dir, `${pid}.json`), JSON.stringify(h));
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lock-test-'));
  process.env.SCALE_HARNESS_LOCK_DIR = dir;
});

afterEach(() => {
  for (const c of started.splice(0)) c.kill('SIGKILL');
  if (saved === undefined) delete process.env.SCALE_HARNESS_LOCK_DIR;
  else process.env.SCALE_HARNESS_LOCK_DIR = saved;
});

describe('run lock', () => {
  it('refuses a second run, naming the one that runs', () => {
    const other = sleeper();
    holder(other.pid!, 'run spike --quick');
    const log: string[] = [];
    expect(() => acquireRunLock({ command: 'run soak', allowConcurrent: false, log: (l) => log.push(l) })).toThrow(
      `another run is in progress on this machine (pid ${other.pid}, \`run spike --quick\` in /somewhere, started 2026-11-30T21:00:00.000Z); wait for it, or pass --allow-concurrent to run both (their verdicts will say so)`,
    );
    expect(readdirSync(dir).sort()).toEqual([`${other.pid}.json`]);
  });

  it('is taken and released by one harness process as often as it likes', () => {
    for (let i = 0; i < 3; i++) acquireRunLock({ command: 'run spike', allowConcurrent: false, log: () => undefined }).release();
    const a = acquireRunLock({ command: 'run spike', allowConcurrent: false, log: () => undefined });
    // A run of this same process that was never released does not block the next one.
    const b = acquireRunLock({ command: 'run spike', allowConcurrent: false, log: () => undefined });
    b.release();
    a.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a stale lock and stops what its dead harness left running, saying so', async () => {
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const orphan = sleeper();
    holder(dead.pid!, 'run spike', [{ pid: orphan.pid!, name: 'prometheus', startTicks: processStartTicks(orphan.pid!) }]);
    const log: string[] = [];
    const lock = acquireRunLock({ command: 'run soak', allowConcurrent: false, log: (l) => log.push(l) });
    expect(log).toEqual([
      `scale-harness: took over the lock of a run that ended without releasing it (pid ${dead.pid}, \`run spike\` in /somewhere, started 2026-11-30T21:00:00.000Z); stopped what it left running: prometheus (pid ${orphan.pid})`,
    ]);
    await new Promise((r) => orphan.once('exit', r));
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(readdirSync(dir)).toEqual([`${process.pid}.json`]);
    lock.release();
  });

  it('does not kill a pid that now belongs to another process', async () => {
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const bystander = sleeper();
    holder(dead.pid!, 'run spike', [{ pid: bystander.pid!, name: 'k6', startTicks: 1 }]);
    const log: string[] = [];
    acquireRunLock({ command: 'run soak', allowConcurrent: false, log: (l) => log.push(l) }).release();
    expect(log[0]).not.toContain('stopped what it left running');
    expect(isAlive(bystander.pid!)).toBe(true);
  });

  it('with --allow-concurrent, both runs learn of each other', () => {
    const other = sleeper();
    holder(other.pid!, 'run spike');
    const lock = acquireRunLock({ command: 'run soak --allow-concurrent', allowConcurrent: true, log: () => undefined });
    expect(lock.concurrentWith()).toEqual([`pid ${other.pid}, \`run spike\` in /somewhere, started 2026-11-30T21:00:00.000Z`]);
    // The other run reads who joined it from its own `.joined` file.
    const joined = readdirSync(dir).filter((f) => f.endsWith('.joined'));
    expect(joined).toEqual([`${other.pid}.joined`]);
    lock.release();
  });
});
