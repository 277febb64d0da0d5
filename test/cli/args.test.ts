import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RUNS_DIR } from '../../src/util/paths.ts';
import { freePort } from '../../src/util/net.ts';
import { main } from '../../src/cli/main.ts';
import { duration, num, parse } from '../../src/cli/args.ts';
import { FLAGS } from '../../src/cli/flags.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('cli', () => {
  it('rejects bad numbers naming the flag and value', () => {
    const { values } = parse(['--scale=-1', '--duration', 'soon'], FLAGS.run);
    expect(() => num(values, 'scale', { min: 0, above: true })).toThrow('--scale: must be a number above 0 (got "-1")');
    expect(() => duration(values, 'duration')).toThrow(/--duration: must be a duration above 0 .*\(got "soon"\)/);
  });

  it('exits 2 with one line for an unknown flag, an unknown command and a malformed profile', async () => {
    let c = capture();
    expect(await main(['run', 'spike', '--sacle', '2'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/^scale-harness: Unknown option '--sacle'/);
    c = capture();
    expect(await main(['sprint'], c.io)).toBe(2);
    c = capture();
    expect(await main(['run', 'test/fixtures/profiles/negative-rate.json'], c.io)).toBe(2);
    expect(c.err).toEqual(['scale-harness: test/fixtures/profiles/negative-rate.json: stages[1].target: a rate must be zero or more req/s (got -5)']);
  });

  it('exits 2 naming an unknown holiday, from a flag or from a profile', async () => {
    let c = capture();
    expect(await main(['run', 'spike', '--holiday', 'thanksgiving', '--year', '2027'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^scale-harness: --holiday: .*thanksgiving.*(enkutatash|meskel)/);
    c = capture();
    expect(await main(['run', 'test/fixtures/profiles/unknown-holiday.json'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^scale-harness: test\/fixtures\/profiles\/unknown-holiday\.json: holiday\.name: .*thanksgiving/);
    c = capture();
    expect(await main(['run', 'spike', '--year', '2027'], c.io)).toBe(2);
  });

  it('exits 2 naming an unreachable target or Prometheus', async () => {
    const port = await freePort();
    const c = capture();
    expect(await main(['run', 'spike', '--target', `http://127.0.0.1:${port}`, '--prometheus', `http://127.0.0.1:${port}`], c.io)).toBe(2);
    expect(c.err).toEqual([`scale-harness: --target: http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`]);
  });

  it('exits 4 with a one-line how-to when a tool cannot be had, leaving no run folder', async () => {
    const before = await readdir(RUNS_DIR).catch(() => []);
    const saved = process.env.K6_BIN;
    process.env.K6_BIN = '/nonexistent/k6';
    const c = capture();
    try {
      expect(await main(['run', 'spike', '--quick'], c.io)).toBe(4);
    } finally {
      if (saved === undefined) delete process.env.K6_BIN;
      else process.env.K6_BIN = saved;
    }
    expect(c.err).toEqual(['scale-harness: K6_BIN=/nonexistent/k6: not an executable file']);
    expect(await readdir(RUNS_DIR).catch(() => [])).toEqual(before);
  });

  it('refuses a non-allow-listed target before starting anything', async () => {
    const c = capture();
    expect(await main(['run', 'spike', '--target', 'http://10.2.3.4:8080', '--prometheus', 'http://127.0.0.1:9090'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/--target: host "10.2.3.4" is not on the allow-list/);
  });
});
