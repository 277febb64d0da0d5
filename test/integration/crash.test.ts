/**
 * A crashed tool is never blamed on the stack: `kill -9` of k6, of Prometheus or of the embedded
 * stack in the middle of a quick spike gives exit 3 (not 1, not the user's 130), an
 * `inconclusive` verdict, and a reason naming what died. The processes are found in the
 * harness's process tree, by their command.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processTable, treeOf } from '../../src/health/proc.ts';
import { readRun, runCli } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The pid in `root`'s tree whose command line matches, or null. */
function findInTree(root: number, match: RegExp): number | null {
  const tree = treeOf(root, processTable());
  for (const pid of tree) if (pid !== root && match.test(cmdline(pid))) return pid;
  return null;
}

const cases = [
  { what: 'k6', match: /(^|\/)k6 run /, reason: /k6 was killed by SIGKILL/ },
  { what: 'Prometheus', match: /(^|\/)prometheus --config\.file/, reason: /Prometheus died/ },
  { what: 'the stack', match: /src\/stack\/main\.ts/, reason: /the embedded stack died \(.*SIGKILL\)/ },
];

describe('kill -9 of a component mid-run', () => {
  for (const c of cases) {
    it(`${c.what}: exit 3, inconclusive, naming it`, async () => {
      let killed: number | null = null;
      const result = await runCli(['run', 'spike', '--quick'], {
        timeoutMs: 200_000,
        onSpawn: (root) => {
          void (async () => {
            // Wait for k6 (the load has begun), then 15 s into the load.
            for (let i = 0; i < 240 && findInTree(root, cases[0]!.match) === null; i++) await sleep(250);
            await sleep(15_000);
            killed = findInTree(root, c.match);
            if (killed !== null) process.kill(killed, 'SIGKILL');
          })();
        },
      });
      expect(killed, `no ${c.what} process found in the run's tree`).not.toBeNull();
      expect(result.runDir).not.toBeNull();
      const { verdict } = await readRun(result.runDir!);
      expect(verdict.status).toBe('inconclusive');
      expect(verdict.reasons.join('\n')).toMatch(c.reason);
      expect(verdict.health?.crash ?? '').toMatch(c.reason);
      expect(result.code).toBe(3);
    }, 240_000);
  }
});
