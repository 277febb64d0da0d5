import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listReporters, registerReporter, writeReports } from '../../src/report/registry.ts';
import { readRunFolder, writeJson } from '../../src/report/run-folder.ts';
import { makePlan, makeSeries, makeVerdict } from '../fixtures/report/synthetic.ts';

describe('reporter registry', () => {
  it('writes every report, and one failing reporter does not stop the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-'));
    registerReporter({ name: 'broken', write: async () => Promise.reject(new Error('disk full')) });
    expect(() => registerReporter({ name: 'html', write: async () => [] })).toThrow('already registered');
    const ctx = { plan: makePlan(), verdict: makeVerdict(), series: makeSeries() };
    const outcome = await writeReports(dir, ctx);
    expect(outcome.errors).toEqual([{ reporter: 'broken', message: 'disk full' }]);
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'series.json', 'summary.md', 'verdict.json']);
    await writeJson(dir, 'plan.json', ctx.plan);
    expect(await readRunFolder(dir)).toEqual(ctx);
    expect((await writeReports(dir, ctx, ['junit', 'nope'])).errors).toEqual([{ reporter: 'nope', message: 'no such reporter' }]);
    expect(listReporters().map((r) => r.name)).toEqual(['verdict', 'series', 'junit', 'markdown', 'html', 'broken']);
    await rm(dir, { recursive: true });
  });
});
