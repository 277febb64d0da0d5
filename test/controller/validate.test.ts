import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateQueries } from '../../src/controller/validate.ts';
import { PrometheusClient } from '../../src/metrics/client.ts';
import { startPrometheus, type RunningPrometheus } from '../../src/metrics/prometheus.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { EMBEDDED, KUBERNETES } from '../../profiles/targets.ts';
import { InputError } from '../../src/errors.ts';

let prom: RunningPrometheus;
beforeAll(async () => {
  const bin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  prom = await startPrometheus({ bin, targets: [] });
}, 60_000);
afterAll(async () => prom?.stop());

const plan = resolvePlan(parseProfile('inline', { name: 'v', description: 'v', stages: [{ duration: 10, target: 1 }], mix: { login: 1 } }), {
  runId: 'v',
  file: 'inline',
  targetUrl: 'http://127.0.0.1:1',
});

describe('load-time PromQL validation', () => {
  it('accepts every trigger query of the embedded and Kubernetes mappings', async () => {
    const source = new PrometheusClient(prom.url);
    await expect(validateQueries(source, plan, EMBEDDED, 'embedded', 'default')).resolves.toBeUndefined();
    await expect(validateQueries(source, plan, KUBERNETES, 'kubernetes', 'prod')).resolves.toBeUndefined();
  });

  it('names the mapping key and the expression of a broken query', async () => {
    const source = new PrometheusClient(prom.url);
    const broken = { ...EMBEDDED, signals: { ...EMBEDDED.signals, cpu: '100 * sum(rate(stack_cpu_seconds_total{deployment="$deployment"}[$window]) /' } };
    const err = await validateQueries(source, plan, broken, 'embedded', 'default').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^profiles\/targets\.ts: embedded\.signals\.cpu: .*\(got "100 \* sum\(rate\(stack_cpu_seconds_total\{deployment=\\"auth\\"\}/);
  });
});
