/**
 * The live view in a real pseudo-terminal: `npm run spike -- --quick` in a detached tmux session
 * of a fixed size, its pane sampled while the load runs. The screen must redraw in place (one
 * header in the whole scrollback, at the same row each time, a block that does not grow, values
 * that change) and the verdict table must follow it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/util/paths.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `scale-harness-test-${process.pid}`;
const SESSION = 'live';
const HEADER = /^scale-harness {2}run spike-\S+ {2}profile spike$/;

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const pane = (history = false): string[] => tmux('capture-pane', '-p', '-t', SESSION, ...(history ? ['-S', '-'] : [])).split('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Row of the header, the block's height (header to its last non-blank line), its elapsed text. */
function screenOf(lines: string[]): { row: number; height: number; elapsed: string; k6: boolean } | null {
  const row = lines.findIndex((l) => HEADER.test(l));
  if (row < 0) return null;
  let last = lines.length - 1;
  while (last > row && lines[last]!.trim() === '') last--;
  const elapsed = /\] (\d+\/\d+ s)/.exec(lines[row + 1] ?? '')?.[1] ?? '';
  return { row, height: last - row + 1, elapsed, k6: lines.some((l) => l.startsWith('k6 running (')) };
}

describe.skipIf(!hasTmux)('live view in a terminal (tmux)', () => {
  it('redraws one screen in place while the load runs, and the verdict table follows it', async () => {
    tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '60', `cd ${PROJECT_ROOT} && npm run spike -- --quick; echo EXIT=$?; sleep 300`);
    try {
      const screens: Array<NonNullable<ReturnType<typeof screenOf>>> = [];
      const deadline = Date.now() + 200_000;
      let done = false;
      while (!done && Date.now() < deadline) {
        await sleep(2000);
        const lines = pane();
        done = lines.some((l) => /^EXIT=\d+$/.test(l));
        const s = screenOf(lines);
        // While the load runs: k6's end-of-test summary (printed above the screen) not yet there.
        if (s && !lines.some((l) => l.includes('TOTAL RESULTS'))) screens.push(s);
      }
      expect(done, pane().join('\n')).toBe(true);
      const live = screens.filter((s) => s.k6);
      expect(live.length, JSON.stringify(screens)).toBeGreaterThanOrEqual(8);
      // In place: the header stays on one row and the block keeps its height.
      expect(new Set(live.map((s) => s.row)).size, JSON.stringify(live)).toBe(1);
      expect(new Set(live.map((s) => s.height)).size, JSON.stringify(live)).toBe(1);
      // Values change between samples.
      expect(new Set(live.map((s) => s.elapsed)).size).toBeGreaterThanOrEqual(live.length - 1);
      const all = pane(true);
      // Every earlier frame was erased: one header in the whole scrollback, with the screen's parts.
      expect(all.filter((l) => HEADER.test(l))).toHaveLength(1);
      const head = all.findIndex((l) => HEADER.test(l));
      const after = all.slice(head);
      for (const part of [/^DEPLOYMENT +REPLICAS +TRIGGERS/, /^auth +\d+ +auth-cpu \S+ > 70 % (armed|pending|fired)/, /^SLO \(so far\)/, /^EVENTS/, /^k6 running \(/]) {
        expect(after.some((l) => part.test(l)), String(part)).toBe(true);
      }
      // The verdict table comes after the screen.
      const slos = after.findIndex((l) => l === 'SLOs');
      const triggers = after.findIndex((l) => l === 'Scaling triggers');
      expect(slos).toBeGreaterThan(0);
      expect(triggers).toBeGreaterThan(slos);
      expect(after.some((l) => l.startsWith('run folder: reports/runs/spike-'))).toBe(true);
      // No k6 per-second progress outside the screen.
      expect(all.filter((l) => /^\[k6\] running \(/.test(l))).toEqual([]);
    } finally {
      spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    }
  }, 260_000);
});
