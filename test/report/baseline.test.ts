import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineFromVerdict, compareToBaseline, readBaseline, writeBaseline } from '../../src/report/baseline.ts';
import { makeVerdict } from '../fixtures/report/synthetic.ts';

const base = baselineFromVerdict(makeVerdict());

function withTraffic(p95Factor: number, errorRate: number) {
  const v = makeVerdict();
  v.traffic = v.traffic.map((r) => ({ ...r, p95Ms: (r.p95Ms ?? 0) * p95Factor, errorRate }));
  return v;
}

describe('compareToBaseline', () => {
  it('extracts per-journey and per-service latency, error rate, lags and achieved ratio', () => {
    expect(base.journeys.login).toEqual({ p95Ms: 312, p99Ms: 480 });
    expect(base.services.payments?.p95Ms).toBe(1100);
    expect(base.errorRate).toBeCloseTo((6000 * 0.001 + 4000 * 0.01) / 10000);
    expect(base.triggerLagSeconds).toEqual({ 'auth-cpu': 12, 'payments-queue': 41, 'database-cpu': null });
    expect(base.achievedRatio).toBeCloseTo(7940 / 8000);
  });

  it('passes within tolerance', () => {
    const cmp = compareToBaseline(withTraffic(1.2, 0.005), base);
    expect(cmp.status).toBe('pass');
    expect(cmp.rows.find((r) => r.metric === 'journey.login.p95_ms')).toMatchObject({ baseline: 312, allowed: 390, status: 'pass' });
    expect(cmp.rows.find((r) => r.metric === 'journey.login.p95_ms')?.deltaRatio).toBeCloseTo(0.2);
  });

  it('fails beyond tolerance, naming the metrics', () => {
    const cmp = compareToBaseline(withTraffic(1.3, 0.015), base);
    expect(cmp.status).toBe('fail');
    expect(cmp.reason).toContain('journey.checkout.p95_ms');
    expect(cmp.rows.find((r) => r.metric === 'error_rate')?.status).toBe('fail');
  });

  it('allows trigger lag +50 % but at least +2 s', () => {
    const v = makeVerdict();
    v.triggers = v.triggers.map((t) => (t.id === 'auth-cpu' ? { ...t, lagSeconds: 18 } : t.id === 'payments-queue' ? { ...t, lagSeconds: 62 } : t));
    const rows = compareToBaseline(v, base).rows;
    expect(rows.find((r) => r.metric === 'trigger.auth-cpu.lag_s')).toMatchObject({ allowed: 18, status: 'pass' });
    expect(rows.find((r) => r.metric === 'trigger.payments-queue.lag_s')).toMatchObject({ allowed: 61.5, status: 'fail' });
    const small = compareToBaseline(v, { ...base, triggerLagSeconds: { 'auth-cpu': 1 } }).rows.find((r) => r.metric.startsWith('trigger.'));
    expect(small).toMatchObject({ metric: 'trigger.auth-cpu.lag_s', allowed: 3, current: 18, status: 'fail' });
  });

  it('is inconclusive against another scale or time scale, and when a metric is missing now', () => {
    expect(compareToBaseline(makeVerdict(), { ...base, scale: 1 })).toMatchObject({ status: 'inconclusive', rows: [] });
    expect(compareToBaseline(makeVerdict(), { ...base, timeScale: 1 }).reason).toContain('time scale 60 vs baseline\'s 1');
    const v = makeVerdict();
    v.traffic = v.traffic.map((r) => (r.name === 'login' ? { ...r, p95Ms: null } : r));
    const cmp = compareToBaseline(v, base);
    expect(cmp).toMatchObject({ status: 'inconclusive', reason: 'no current value vs baseline spike-20261122-014400: journey.login.p95_ms' });
  });
});

describe('baseline files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("skips a trigger's lag when that trigger did not fire in this run", () => {
    const v = makeVerdict();
    const quietNow = { ...v, triggers: v.triggers.map((t) => (t.id === 'auth-cpu' ? { ...t, lagSeconds: null } : t)) };
    const cmp = compareToBaseline(quietNow, base);
    expect(cmp.rows.map((r) => r.metric)).not.toContain('trigger.auth-cpu.lag_s');
    expect(cmp.rows.map((r) => r.metric)).toContain('trigger.payments-queue.lag_s');
  });

  it('round-trips, returns null when missing and names the file when malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baseline-'));
    dirs.push(dir);
    const file = await writeBaseline(makeVerdict(), dir);
    expect(file).toBe(join(dir, 'spike.json'));
    expect(await readBaseline('spike', dir)).toEqual(JSON.parse(await readFile(file, 'utf8')));
    expect(await readBaseline('soak', dir)).toBeNull();
    await writeFile(join(dir, 'soak.json'), '{ "profile": ');
    await expect(readBaseline('soak', dir)).rejects.toThrow(new RegExp(`^${join(dir, 'soak.json')}: not valid JSON: `));
    await writeFile(join(dir, 'peak.json'), JSON.stringify({ ...base, scale: 'big' }));
    await expect(readBaseline('peak', dir)).rejects.toThrow(`${join(dir, 'peak.json')}: scale:`);
    await expect(readBaseline('../etc', dir)).rejects.toThrow('baseline profile name');
  });
});
