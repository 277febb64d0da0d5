/** Run overview: one run (or several) as k6 saw it. */
import type { DashboardSpec } from './kit.ts';
import { K6_RUN, RATE, TAGS, kind, quantile } from './promql.ts';
import { K6, RESULT_SERIES as R, STACK } from './series.ts';

export function overview(): DashboardSpec {
  const achieved = `sum by (scenario) (rate(${K6.iterations}{${K6_RUN}}${RATE}))`;
  return {
    uid: 'scale-harness-overview',
    title: 'scale-harness / run overview',
    description: 'One run (or several) as k6 saw it: achieved vs target rate, latency, errors, dropped iterations, per journey and cohort.',
    tags: TAGS,
    from: 'now-1h',
    refresh: '10s',
    testidQuery: `label_values(${K6.vus}, testid)`,
    rows: [
      {
        title: 'Load',
        panels: [
          {
            title: 'Iterations/s per scenario: achieved vs target',
            description: `Achieved: rate of ${K6.iterations}. Target: the plan, as ${R.targetRate.name} (written when the run ends).`,
            unit: 'short',
            queries: [
              {
                expr: `${kind(achieved, 'achieved')} or ${kind(`sum by (scenario) (${R.targetRate.name}{${K6_RUN}})`, 'target')}`,
                legend: '{{scenario}} {{kind}}',
              },
            ],
            dashedNames: '.* target$',
          },
          {
            title: 'HTTP requests/s by journey',
            description: `rate(${K6.httpReqs}) summed over all k6 runners.`,
            unit: 'reqps',
            queries: [{ expr: `sum by (journey) (rate(${K6.httpReqs}{${K6_RUN}}${RATE}))`, legend: '{{journey}}' }],
          },
          {
            title: 'Dropped iterations/s by scenario',
            description: 'Iterations k6 could not start (no free VU): the load generator, not the stack, fell short. 0 when none were dropped.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (scenario) (rate(${K6.droppedIterations}{${K6_RUN}}${RATE})) or on (scenario) 0 * ${achieved}`,
                legend: '{{scenario}}',
              },
            ],
          },
          {
            title: 'Virtual users (all runners)',
            description: `sum(${K6.vus}) over all k6 runners.`,
            unit: 'short',
            queries: [{ expr: `sum(${K6.vus}{${K6_RUN}})`, legend: 'VUs' }],
          },
        ],
      },
      {
        title: 'Latency',
        panels: [
          {
            title: 'HTTP latency p50 / p95 / p99 by journey',
            description: `Quantiles of the native histogram ${K6.httpReqDuration}, aggregated across runners.`,
            unit: 's',
            queries: [
              { expr: quantile(0.5, 'journey'), legend: '{{journey}} p50' },
              { expr: quantile(0.95, 'journey'), legend: '{{journey}} p95' },
              { expr: quantile(0.99, 'journey'), legend: '{{journey}} p99' },
            ],
          },
          {
            title: 'HTTP latency p95 by cohort',
            description: 'Network cohorts (Toxiproxy presets) side by side.',
            unit: 's',
            queries: [{ expr: quantile(0.95, 'cohort'), legend: '{{cohort}} p95' }],
          },
        ],
      },
      {
        title: 'Errors and cohorts',
        panels: [
          {
            title: 'Failed request ratio by journey (k6)',
            description: `${K6.httpReqFailed} is a k6 Rate: the cumulative ratio since the start of each runner; averaged across runners.`,
            unit: 'percentunit',
            width: 8,
            queries: [{ expr: `avg by (journey) (${K6.httpReqFailed}{${K6_RUN}})`, legend: '{{journey}}' }],
          },
          {
            title: 'HTTP requests/s by cohort',
            description: 'Offered load per network cohort.',
            unit: 'reqps',
            width: 8,
            queries: [{ expr: `sum by (cohort) (rate(${K6.httpReqs}{${K6_RUN}}${RATE}))`, legend: '{{cohort}}' }],
          },
          {
            title: '5xx ratio by service (stack)',
            description: `Server-side errors from ${STACK.httpRequests}; 0 when there were none.`,
            unit: 'percentunit',
            width: 8,
            queries: [
              {
                expr:
                  `(sum by (service) (rate(${STACK.httpRequests}{status=~"5.."}${RATE})) ` +
                  `or on (service) 0 * sum by (service) (rate(${STACK.httpRequests}${RATE}))) ` +
                  `/ sum by (service) (rate(${STACK.httpRequests}${RATE}))`,
                legend: '{{service}}',
              },
            ],
          },
        ],
      },
    ],
  };
}
