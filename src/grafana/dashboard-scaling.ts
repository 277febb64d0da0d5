/** Scaling: replicas, each trigger signal against its threshold, autoscaler actions. */
import type { Trigger } from '../plan/schema.ts';
import type { DashboardSpec } from './kit.ts';
import { K6_RUN, RATE, TAGS, withThresholds } from './promql.ts';
import { K6, STACK } from './series.ts';

export function scaling(triggers: Trigger[]): DashboardSpec {
  const bySignal = (s: Trigger['signal']) => triggers.filter((t) => t.signal === s);
  return {
    uid: 'scale-harness-scaling',
    title: 'scale-harness / scaling',
    description: 'Does the stack scale the way its plan says? Replicas, each trigger signal against its threshold, autoscaler actions.',
    tags: TAGS,
    from: 'now-1h',
    refresh: '10s',
    testidQuery: `label_values(${K6.vus}, testid)`,
    rows: [
      {
        title: 'Replicas',
        panels: [
          {
            title: 'Replicas per deployment',
            description: 'Desired (spec) dashed, available solid.',
            unit: 'short',
            queries: [
              { expr: `sum by (deployment) (${STACK.specReplicas})`, legend: '{{deployment}} desired' },
              { expr: `sum by (deployment) (${STACK.availableReplicas})`, legend: '{{deployment}} available' },
              { expr: `sum by (deployment) (${STACK.statusReplicas})`, legend: '{{deployment}} current' },
            ],
            dashed: ['A'],
          },
          {
            title: 'Autoscaler actions',
            description: 'Scale actions per deployment, trigger and direction; 0 for deployments that did not scale.',
            unit: 'short',
            style: 'bars',
            queries: [
              {
                expr:
                  `sum by (deployment, trigger, direction) (increase(${STACK.autoscalerActions}${RATE})) ` +
                  `or on (deployment) 0 * sum by (deployment) (${STACK.specReplicas})`,
                legend: '{{deployment}} {{direction}} {{trigger}}',
              },
            ],
          },
        ],
      },
      {
        title: 'Trigger signals (dashed: thresholds from the trigger tables)',
        panels: [
          withThresholds(
            {
              title: 'CPU % of allotted cores',
              description: `100 * rate(${STACK.cpuSeconds}) / ${STACK.cpuCores}, per deployment (cores summed over replicas).`,
              unit: 'percent',
              queries: [
                {
                  expr: `100 * sum by (deployment) (rate(${STACK.cpuSeconds}${RATE})) / sum by (deployment) (${STACK.cpuCores})`,
                  legend: '{{deployment}}',
                },
              ],
            },
            bySignal('cpu'),
          ),
          withThresholds(
            {
              title: 'Memory % of limit',
              description: `100 * ${STACK.memoryBytes} / ${STACK.memoryLimitBytes}, per deployment.`,
              unit: 'percent',
              queries: [
                {
                  expr: `100 * sum by (deployment) (${STACK.memoryBytes}) / sum by (deployment) (${STACK.memoryLimitBytes})`,
                  legend: '{{deployment}}',
                },
              ],
            },
            bySignal('memory'),
          ),
          withThresholds(
            {
              title: 'Route latency p95 (ms)',
              description: `p95 of ${STACK.httpDurationBucket} per service and route, as the latency triggers judge it.`,
              unit: 'ms',
              queries: [
                {
                  expr: `1000 * histogram_quantile(0.95, sum by (service, route, le) (rate(${STACK.httpDurationBucket}${RATE})))`,
                  legend: '{{service}} {{route}}',
                },
              ],
            },
            bySignal('latency'),
          ),
          withThresholds(
            {
              title: 'Queue depth',
              description: `${STACK.queueDepth} per queue (messages pending).`,
              unit: 'short',
              queries: [{ expr: `sum by (queue) (${STACK.queueDepth})`, legend: '{{queue}}' }],
            },
            bySignal('queue'),
          ),
        ],
      },
      {
        title: 'Load',
        panels: [
          {
            title: 'Offered (k6) vs served (stack) requests/s',
            description: 'What k6 sent and what each service answered.',
            unit: 'reqps',
            width: 24,
            queries: [
              { expr: `sum(rate(${K6.httpReqs}{${K6_RUN}}${RATE}))`, legend: 'k6 offered' },
              { expr: `sum by (service) (rate(${STACK.httpRequests}${RATE}))`, legend: '{{service}} served' },
            ],
            dashed: ['A'],
          },
        ],
      },
    ],
  };
}
