/**
 * What a CI log gets (no TTY): a quick spike logs under 60 lines, npm's banner included, with
 * the verdict table, k6's summary and the status lines; a 4-hour soak, run 240x compressed,
 * logs few enough lines that at full length it stays under 3,000.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/util/paths.ts';

/** `npm run <script> -- <args>` with stdout and stderr in one stream, as a CI log has them. */
function npmRun(script: string, args: string[]): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script, '--', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: log.replace(/\n$/, '').split('\n') });
    });
  });
}

function runDirOf(lines: string[]): string {
  const m = lines.map((l) => /^run folder: (\S+)/.exec(l)).find(Boolean);
  if (!m?.[1]) throw new Error(`no run folder in:\n${lines.join('\n')}`);
  return path.resolve(PROJECT_ROOT, m[1]);
}

function expectVerdictAndSummary(lines: string[]): void {
  const text = lines.join('\n');
  for (const part of [/^SLOs$/m, /^Scaling triggers$/m, /^Cross-check: /m, /^\[k6\] +http_reqs\.+: \d+/m, /^\[k6\] +http_req_failed\.+: /m]) expect(text).toMatch(part);
  expect(lines.filter((l) => /^\[k6\] (running \(|\S+ +\[ *\d+% *\])/.test(l))).toEqual([]);
}

describe('the log of a run in CI', () => {
  it('a quick spike logs under 60 lines, with status lines, k6 summary and verdict', async () => {
    const r = await npmRun('spike', ['--quick']);
    expect(r.lines.length, r.lines.join('\n')).toBeLessThan(60);
    expectVerdictAndSummary(r.lines);
    const status = r.lines.filter((l) => l.startsWith('[live] '));
    expect(status.length).toBeGreaterThanOrEqual(5);
    expect(status[0]).toMatch(/^\[live\] \d+\/60 s stage \d\/8 \| rate \d+\/\d+ req\/s \| p95 \d+ ms \| errors [\d.]+ % \| replicas auth \d+ payments \d+ marketplace \d+ database \d+ rewards-worker \d+/);
    expect(r.lines.some((l) => /\| triggers .*payments-queue fired/.test(l))).toBe(true);
    // The autoscaler's own lines, folded in the log, are all in live.log.
    const kept = readFileSync(path.join(runDirOf(r.lines), 'live.log'), 'utf8');
    expect(kept).toMatch(/^\[stack\] autoscaler: payments-queue up: payments 3 -> 6/m);
    expect(r.lines.filter((l) => l.startsWith('[stack] autoscaler: '))).toEqual([]);
  }, 260_000);

  it('a 4-hour soak, 240x compressed, projects to under 3,000 lines at full length', async () => {
    const r = await npmRun('soak', ['--quick']);
    expectVerdictAndSummary(r.lines);
    expect(r.lines.length, r.lines.join('\n')).toBeLessThan(60);
    const status = r.lines.filter((l) => l.startsWith('[live] '));
    // Status lines come every 10 s of wall time (and at its two stages' start): at most 8 in 60 s.
    expect(status.length).toBeGreaterThanOrEqual(4);
    expect(status.length).toBeLessThanOrEqual(8);
    // Everything else does not grow with the wall clock: plan-time events are the same at any time
    // scale and k6's repeats are counted, not printed. At full length the status lines are
    // 4 h / 10 s = 1,440 plus the stage changes.
    const other = r.lines.length - status.length;
    expect(other + 1440 + 2).toBeLessThan(3000);
  }, 260_000);
});
