import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { otherHarnessRuns } from '../../src/health/sampler.ts';

describe('other harness runs seen by the health sampler', () => {
  const saved = process.env.SCALE_HARNESS_LOCK_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.SCALE_HARNESS_LOCK_DIR;
    else process.env.SCALE_HARNESS_LOCK_DIR = saved;
  });

  it('names live lock holders other than this process, and skips dead ones and its own', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sh-lock-'));
    process.env.SCALE_HARNESS_LOCK_DIR = dir;
    const live = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const holder = (pid: number, command: string) => JSON.stringify({ pid, startTicks: null, command, cwd: '/', startedAt: '', allowConcurrent: true, children: [] });
      writeFileSync(path.join(dir, `${live.pid}.json`), holder(live.pid!, 'run spike --quick'));
      writeFileSync(path.join(dir, `${process.pid}.json`), holder(process.pid, 'gate'));
      // pid_max on Linux is at most 4194304: this pid cannot be alive.
      writeFileSync(path.join(dir, '4194305.json'), holder(4194305, 'run soak'));
      writeFileSync(path.join(dir, 'notes.txt'), 'not a lock');
      expect(otherHarnessRuns()).toEqual([`pid ${live.pid} \`run spike --quick\``]);
    } finally {
      live.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
