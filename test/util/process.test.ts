/**
 * Children die with the harness: a real process starts a child through spawnChild and is
 * SIGKILLed; the kernel's parent-death signal ends the child. And the stop signals: one
 * Ctrl-C relayed by npm and tsx counts once, a later one stops at once.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, onForcedExit, PARENT_DEATH_SIGNAL } from '../../src/util/process.ts';
import { handleStopSignals, RELAY_WINDOW_MS } from '../../src/cli/signals.ts';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'process', 'spawner.ts');

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

describe('child processes', () => {
  it('die with the harness when it is SIGKILLed', async () => {
    expect(PARENT_DEATH_SIGNAL).toBe(true);
    const harness = spawn(process.execPath, ['--import', tsx, fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => harness.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    expect(isAlive(childPid)).toBe(true);
    harness.kill('SIGKILL');
    expect(await gone(childPid, 3000)).toBe(true);
  });
});

describe('stop signals', () => {
  it('counts a relayed Ctrl-C once and stops at once on a later one, running the forced-exit work', () => {
    let t = 1000;
    const exits: number[] = [];
    const lines: string[] = [];
    const h = handleStopSignals((l) => lines.push(l), (c) => exits.push(c), () => t);
    let wrote = 0;
    const drop = onForcedExit(() => wrote++);
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(h.controller.signal.aborted).toBe(true);
      t += 30; // tsx's relay, 30 ms later
      process.emit('SIGINT', 'SIGINT');
      t += RELAY_WINDOW_MS - 100; // npm's relay
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([]);
      expect(wrote).toBe(0);
      t += 2000; // the user presses Ctrl-C again
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([130]);
      expect(wrote).toBe(1);
      expect(lines[1]).toBe('scale-harness: SIGINT again: stopping at once; the verdict is inconclusive');
    } finally {
      drop();
      h.dispose();
    }
  });

  it('SIGTERM stops gracefully like the first Ctrl-C', () => {
    const exits: number[] = [];
    const h = handleStopSignals(() => undefined, (c) => exits.push(c));
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(h.controller.signal.aborted).toBe(true);
      expect(exits).toEqual([]);
    } finally {
      h.dispose();
    }
  });
});
