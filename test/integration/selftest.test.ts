/**
 * `selftest` end to end: real quick runs (k6, Prometheus, the embedded stack) of a two-case
 * matrix file, one clean and one that expects a detection without injecting anything. The clean
 * case must pass, the other must be counted as missed, and the exit code must say so.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

describe('selftest', () => {
  it('counts a deliberately missed case as missed, passes the clean one, and writes the matrix files', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'selftest-'));
    const r = await runCli(['selftest', '--quick', '--matrix', 'test/fixtures/selftest/missed.json', '--out', out], { timeoutMs: 400_000 });
    expect(r.stderr).toContain('selftest 2/2: missed-on-purpose: missed');
    expect(r.code).toBe(1);
    const json = JSON.parse(await readFile(path.join(out, 'selftest.json'), 'utf8')) as { status: string; counts: Record<string, number>; cases: Array<{ id: string; cell: string; runDir: string | null }> };
    expect(json.status).toBe('fail');
    expect(json.counts).toEqual({ detected: 0, wrong: 0, missed: 1, passed: 1, 'false-alarm': 0, inconclusive: 0 });
    expect(json.cases.map((c) => [c.id, c.cell])).toEqual([
      ['clean-light', 'passed'],
      ['missed-on-purpose', 'missed'],
    ]);
    // Each case is a normal run with its own folder.
    for (const c of json.cases) expect(await readFile(path.join(out, c.runDir!, 'verdict.json'), 'utf8')).toContain('"status": "pass"');
    const md = await readFile(path.join(out, 'selftest.md'), 'utf8');
    expect(md).toContain('# scale-harness selftest: FAIL');
    expect(md).toContain('| **all fault cases (1)** | **0** | **0** | **1** | **0** |');
    expect(md).toContain('| **clean runs and faults within tolerance (1)** | **1** | **0** | **0** |');
    const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="selftest.stack" name="missed-on-purpose"[^>]*>\s*<failure message="expected slo:errors fail; observed pass; missed/);
    expect(junit).toMatch(/<testcase classname="selftest.clean" name="clean-light"[^>]*>\s*<system-out>/);
  }, 420_000);

  it('a matrix file with a bad case is one line and exit 2, before any run', async () => {
    const r = await runCli(['selftest', '--matrix', 'test/fixtures/selftest/bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('scale-harness: test/fixtures/selftest/bad.json: [0].expect.row: must be trigger:<id> or slo:<id> (got "errors")');
  });
});
