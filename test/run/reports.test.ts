/**
 * Report, then publish: what is published is the verdict the run folder holds, after the
 * report step has had its say. A fake MetricSource stands in for Prometheus: one series family
 * cannot be read, which turns a pass into inconclusive.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Status, Verdict } from '../../src/controller/types.ts';
import type { MetricSource } from '../../src/metrics/client.ts';
import type { Plan } from '../../src/plan/types.ts';
import { reportAndPublish, withSeriesErrors } from '../../src/run/reports.ts';
import { fixturePlan, fixtureVerdict } from '../fixtures/grafana/run.ts';

/** Answers every query with one flat series, except range queries naming `broken`. */
function fakeSource(broken: string | null): MetricSource {
  return {
    query: async () => [],
    queryRange: async (expr, start, end) => {
      if (broken !== null && expr.includes(broken)) throw new Error('bad_data: query timed out');
      return [{ metric: { journey: 'login', deployment: 'auth', queue: 'payment-processing' }, values: [[start, 1], [end, 1]] }];
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'report-publish-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function conclude(status: Status, broken: string | null): Promise<{ published: Status[]; onDisk: Status[]; result: Verdict }> {
  const plan = fixturePlan('r1');
  const judged: Verdict = { ...fixtureVerdict('r1', 1_800_000_000, 1_800_000_120), status, reasons: [] };
  const published: Status[] = [];
  const onDisk: Status[] = [];
  const publish = async (_plan: Plan, v: Verdict): Promise<void> => {
    published.push(v.status);
    // What verdict.json says at the moment of publishing.
    onDisk.push((JSON.parse(await readFile(path.join(dir, 'verdict.json'), 'utf8')) as Verdict).status);
  };
  const { verdict: result } = await reportAndPublish(dir, plan, judged, fakeSource(broken), publish, () => undefined);
  return { published, onDisk, result };
}

describe('reportAndPublish', () => {
  it('publishes inconclusive, never pass, when a report series cannot be read', async () => {
    const { published, onDisk, result } = await conclude('pass', 'stack_queue_depth');
    expect(published).toEqual(['inconclusive']);
    expect(onDisk).toEqual(['inconclusive']);
    expect(result.status).toBe('inconclusive');
    expect(result.reasons).toEqual(['report series queue_depth could not be read: bad_data: query timed out']);
  });

  it('publishes pass when every series was read', async () => {
    const { published, onDisk } = await conclude('pass', null);
    expect(published).toEqual(['pass']);
    expect(onDisk).toEqual(['pass']);
  });

  it('keeps a fail a fail when a series is missing too', async () => {
    const { published } = await conclude('fail', 'stack_queue_depth');
    expect(published).toEqual(['fail']);
  });
});

describe('withSeriesErrors', () => {
  const v = (status: Status): Verdict => ({ ...fixtureVerdict('r1', 0, 10), status, reasons: ['judged'] });
  const errors = { start: 0, end: 10, step: 1, series: [], markers: [], errors: [{ family: 'cpu_percent' as const, expr: 'x', message: 'timeout' }] };
  it('turns only a pass into inconclusive and leaves the judged verdict unchanged', () => {
    const pass = v('pass');
    expect(withSeriesErrors(pass, errors)).toMatchObject({ status: 'inconclusive', reasons: ['judged', 'report series cpu_percent could not be read: timeout'] });
    expect(pass.status).toBe('pass');
    expect(withSeriesErrors(v('inconclusive'), errors).status).toBe('inconclusive');
    expect(withSeriesErrors(v('pass'), null).status).toBe('pass');
    expect(withSeriesErrors(v('pass'), { ...errors, errors: [] })).toEqual(v('pass'));
  });
});
