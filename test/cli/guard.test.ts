/**
 * With --allow-concurrent both runs' verdicts say another run shared the machine, and the plan
 * records it; report files are replaced whole (temporary name, then rename).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandLock } from '../../src/cli/guard.ts';
import { writeFileAtomic } from '../../src/report/run-folder.ts';
import { processStartTicks } from '../../src/util/process.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { Verdict } from '../../src/controller/types.ts';

const saved = process.env.SCALE_HARNESS_LOCK_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.SCALE_HARNESS_LOCK_DIR;
  else process.env.SCALE_HARNESS_LOCK_DIR = saved;
});

describe('--allow-concurrent', () => {
  it('puts the other run in the plan inputs and in verdict.json', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'guard-lock-'));
    const runDir = mkdtempSync(path.join(os.tmpdir(), 'guard-run-'));
    process.env.SCALE_HARNESS_LOCK_DIR = dir;
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const h = { pid: other.pid, startTicks: processStartTicks(other.pid!), command: 'run spike', cwd: '/x', startedAt: 'then', allowConcurrent: false, children: [] };
      writeFileSync(path.join(dir, `${other.pid}.json`), JSON.stringify(h));
      const lock = new CommandLock('run soak --allow-concurrent', true, () => undefined);
      const plan = { inputs: {} } as Plan;
      await lock.acquire(runDir, plan);
      expect(plan.inputs.concurrentRuns).toEqual([`pid ${other.pid}, \`run spike\` in /x, started then`]);
      // The other run learns of this one from its `.joined` file.
      expect(readFileSync(path.join(dir, `${other.pid}.joined`), 'utf8')).toMatch(new RegExp(`^pid ${process.pid}, \`run soak --allow-concurrent\``));
      const verdict = { reasons: ['x'] } as unknown as Verdict;
      await lock.note(runDir, verdict);
      lock.release();
      const written = JSON.parse(readFileSync(path.join(runDir, 'verdict.json'), 'utf8')) as Verdict;
      expect(written.reasons[1]).toBe(`other runs shared this machine (--allow-concurrent): pid ${other.pid}, \`run spike\` in /x, started then; their load competed for the same cores`);
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('atomic writes', () => {
  it('leave no temporary file, and a failed write leaves the old file whole', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
    const file = path.join(dir, 'verdict.json');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(readdirSync(dir)).toEqual(['verdict.json']);
    expect(readFileSync(file, 'utf8')).toBe('new');
    // A directory where the temporary file would go makes the write fail half-way.
    const blocker = `${file}.${process.pid}.tmp`;
    await import('node:fs/promises').then((fs) => fs.mkdir(blocker));
    await expect(writeFileAtomic(file, 'half')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});
