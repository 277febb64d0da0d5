import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ToolError } from '../../src/errors.ts';
import { alertName, alertingRules, checkRules, type AlertingRule } from '../../src/export/rules.ts';
import { parseProfile } from '../../src/plan/load.ts';
import { resolvePlan, stackTriggers } from '../../src/plan/resolve.ts';
import { KUBERNETES } from '../../profiles/targets.ts';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

interface RuleFile {
  groups: Array<{ name: string; rules: AlertingRule[] }>;
}

const rulesOf = (text: string): AlertingRule[] => (parse(text) as RuleFile).groups.flatMap((g) => g.rules);

describe('alertingRules', () => {
  it('reloop: one rule per trigger, with its signal query, threshold, labels and source', () => {
    const text = alertingRules(stackTriggers('reloop'), KUBERNETES, { namespace: 'prod' });
    expect((parse(text) as RuleFile).groups.map((g) => g.name)).toEqual(['scale-harness-reloop']);
    const rules = rulesOf(text);
    // The backend's pods by their owners: its ReplicaSets' (owned by Deployment backend), or a StatefulSet backend's.
    const pods =
      'max by (namespace, pod) (kube_pod_owner{namespace="prod",owner_kind="ReplicaSet"} * on (namespace, owner_name) group_left () ' +
      'max by (namespace, owner_name) (label_replace(kube_replicaset_owner{namespace="prod",owner_kind="Deployment",owner_name="backend"}, "owner_name", "$1", "replicaset", "(.+)")) ' +
      'or kube_pod_owner{namespace="prod",owner_kind="StatefulSet",owner_name="backend"})';
    const over = (v: string) => `sum(${v} * on (namespace, pod) group_left () ${pods})`;
    const containers = 'namespace="prod",container!="",container!="POD"';
    expect(rules.map((r) => [r.alert, r.expr, r.for])).toEqual([
      [
        'ScaleTriggerBackendCpu',
        `(100 * ${over(`rate(container_cpu_usage_seconds_total{${containers}}[60s])`)} / ${over('kube_pod_container_resource_requests{namespace="prod",resource="cpu"}')}) > 70`,
        undefined,
      ],
      [
        'ScaleTriggerBackendMemory',
        `(100 * ${over(`container_memory_working_set_bytes{${containers}}`)} / ${over('kube_pod_container_resource_requests{namespace="prod",resource="memory"}')}) > 80`,
        undefined,
      ],
    ]);
    expect(rules[0]!.labels).toEqual({ severity: 'warning', service: 'backend', deployment: 'backend', trigger: 'backend-cpu', stack: 'reloop' });
    expect(rules[0]!.annotations.summary).toBe('cpu of backend > 70 % (now {{ $value | humanize }} %): HPA scale-up of backend (2..10)');
    expect(rules[1]!.annotations.description).toContain('Source: ReLoop scalability strategy, Auto-scaling Configuration (HPA): reloop-backend-hpa, memory averageUtilization 80');
  });

  it('meqenet: one rule per trigger of the plan, with its for window and severity', () => {
    const rules = rulesOf(alertingRules(stackTriggers('meqenet'), KUBERNETES, { namespace: 'prod' }));
    expect(rules.map((r) => [r.alert, r.for, r.labels.severity])).toEqual([
      ['ScaleTriggerAuthCpu', '5m', 'warning'],
      ['ScaleTriggerAuthLatency', '3m', 'warning'],
      ['ScaleTriggerPaymentsQueue', undefined, 'warning'],
      ['ScaleTriggerPaymentsCreditLatency', '5m', 'warning'],
      ['ScaleTriggerMarketplaceSearchLatency', '3m', 'warning'],
      ['ScaleTriggerDatabaseCpu', '10m', 'page'],
      ['ScaleTriggerEventbusLag', undefined, 'warning'],
    ]);
    for (const r of rules) expect(r.annotations.summary).toContain('{{ $value | humanize }}');
  });

  it('names the Kubernetes metrics and the plan thresholds and windows of Meqenet', () => {
    const byAlert = new Map(rulesOf(alertingRules(stackTriggers('meqenet'), KUBERNETES, { namespace: 'prod' })).map((r) => [r.alert, r]));
    const rule = (id: string) => byAlert.get(alertName(id))!;
    expect(rule('auth-cpu').expr).toMatch(/container_cpu_usage_seconds_total\{namespace="prod",.*owner_name="auth".*kube_pod_container_resource_requests.*resource="cpu".*\) > 70$/);
    expect(rule('auth-cpu').for).toBe('5m');
    expect(rule('auth-latency').expr).toMatch(/histogram_quantile\(0\.95, .*http_server_request_duration_seconds_bucket\{.*route="POST \/auth\/login"\}\[60s\].* \* 1000\) > 500$/);
    expect(rule('auth-latency').for).toBe('3m');
    expect(rule('payments-queue').expr).toMatch(/^\(max\(max_over_time\(kafka_consumergroup_lag_sum\{namespace="prod",topic="payment-processing"\}\[60s\]\)\).*\) > 500$/);
    expect(rule('payments-queue').for).toBeUndefined();
    expect(rule('payments-credit-latency').expr).toMatch(/> 1000$/);
    expect(rule('marketplace-search-latency').for).toBe('3m');
    expect(rule('database-cpu')).toMatchObject({ for: '10m', labels: { severity: 'page' } });
    expect(rule('database-cpu').expr).toMatch(/owner_kind="StatefulSet",owner_name="database".* > 80$/);
    expect(rule('database-cpu').annotations.summary).toContain('Investigate / vertical scale');
    expect(rule('eventbus-lag')).toMatchObject({ labels: { service: 'rewards-worker', deployment: 'rewards-worker' } });
    expect(rule('eventbus-lag').expr).toMatch(/topic="transaction\.completed".* > 5000$/);
    expect(rule('eventbus-lag').annotations.description).toContain('add 2 workers (rewards-worker)');
  });

  it('uses the full-scale for window for plan triggers, whatever the run time scale', () => {
    const profile = parseProfile('p', { name: 'p', description: 'p', stack: 'meqenet', stages: [{ duration: '1m', target: 1 }], mix: { login: 1 } });
    const plan = resolvePlan(profile, { runId: 'r', file: 'p', targetUrl: 'http://x', timeScale: 30 });
    // At time scale 30 a run waits 10 s for auth-cpu; production waits the plan's 5 minutes.
    const rules = rulesOf(alertingRules(plan.triggers, KUBERNETES, { stack: 'meqenet' }));
    expect(rules.map((r) => r.for)).toEqual(['5m', '3m', undefined, '5m', '3m', '10m', undefined]);
  });

  it('refuses a namespace that would break the queries', () => {
    expect(() => alertingRules(stackTriggers('reloop'), KUBERNETES, { namespace: 'prod"}' })).toThrow(/namespace: must be a Kubernetes name.*"prod\\"}"/);
  });
});

describe('checkRules with the real promtool', () => {
  beforeAll(() => {
    if (!existsSync(PROMTOOL)) {
      throw new Error(`promtool not found at ${PROMTOOL}: install the Debian package (apt-get install prometheus) or set PROMTOOL_BIN`);
    }
  });

  for (const [stack, count] of [['meqenet', 7], ['reloop', 2]] as const) {
    it(`passes the generated ${stack} rules`, async () => {
      const r = await checkRules(PROMTOOL, alertingRules(stackTriggers(stack), KUBERNETES, { namespace: 'prod' }));
      expect(r.output).toContain(`SUCCESS: ${count} rules found`);
      expect(r.ok).toBe(true);
    });
  }

  it('fails a rule with a broken expression, naming the rule', async () => {
    const text = alertingRules(stackTriggers('meqenet'), KUBERNETES, {}).replace(') > 70\n', ' > 70\n');
    const r = await checkRules(PROMTOOL, text);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('ScaleTriggerAuthCpu');
    expect(r.output).toMatch(/parse error/);
  });

  it('fails a rule with a bad for duration', async () => {
    const r = await checkRules(PROMTOOL, alertingRules(stackTriggers('meqenet'), KUBERNETES, {}).replace('for: 5m', 'for: five minutes'));
    expect(r.ok).toBe(false);
  });

  it('throws a ToolError naming a missing promtool', async () => {
    const err = await checkRules('/nonexistent/promtool', 'groups: []\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toContain('/nonexistent/promtool');
  });
});
