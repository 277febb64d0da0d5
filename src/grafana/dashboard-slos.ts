/** SLOs and triggers: verdicts per run from the scale_harness_* result series. */
import type { DashboardSpec } from './kit.ts';
import { RESULT_RUN, TAGS, kind } from './promql.ts';
import { RESULT_SERIES as R } from './series.ts';

export function slos(): DashboardSpec {
  const sloValues = (unit: string) =>
    [
      kind(`max by (slo) (${R.sloObserved.name}{${RESULT_RUN}, unit="${unit}"})`, 'observed'),
      kind(`max by (slo) (${R.sloWorstWindow.name}{${RESULT_RUN}, unit="${unit}"})`, 'worst window'),
      kind(`max by (slo) (${R.sloThreshold.name}{${RESULT_RUN}, unit="${unit}"})`, 'threshold'),
    ].join(' or ');
  const inRange = (name: string, by: string) => `max by (${by}) (max_over_time(${name}{${RESULT_RUN}}[$__range]))`;
  return {
    uid: 'scale-harness-slos',
    title: 'scale-harness / SLOs and triggers',
    description: 'Verdicts per run from the scale_harness_* series the controller writes at the end of each run.',
    tags: TAGS,
    from: 'now-30d',
    refresh: '1m',
    testidQuery: `label_values(${R.runStatus.name}{profile=~"$profile"}, run_id)`,
    rows: [
      {
        title: 'Runs',
        panels: [
          {
            kind: 'stat',
            title: 'Runs by status',
            description: 'Runs in the time range per verdict.',
            unit: 'short',
            width: 8,
            queries: [{ expr: `sum by (status) (${inRange(R.runStatus.name, 'run_id, status')})`, legend: '{{status}}', instant: true }],
          },
          {
            kind: 'table',
            title: 'Runs',
            description: 'One row per run in the time range.',
            unit: 'short',
            width: 16,
            queries: [{ expr: inRange(R.runStatus.name, 'run_id, profile, target, stack, status'), legend: '', instant: true }],
          },
        ],
      },
      {
        title: 'SLOs',
        panels: [
          {
            title: 'SLO pass (1) / fail (0) per run',
            description: 'Lowest value over the selected runs, per profile and SLO; one point per run end.',
            unit: 'short',
            style: 'points',
            queries: [{ expr: `min by (profile, slo) (${R.sloPass.name}{${RESULT_RUN}})`, legend: '{{profile}} {{slo}}' }],
          },
          {
            kind: 'table',
            title: 'SLO results per run',
            description: 'Status per run and SLO (pass, fail, inconclusive).',
            unit: 'short',
            queries: [{ expr: inRange(R.sloPass.name, 'run_id, slo, objective, status'), legend: '', instant: true }],
          },
          {
            title: 'Latency SLOs: observed, worst window, bound (ms)',
            description: 'Whole-run value, worst sliding window and the bound, per latency SLO.',
            unit: 'ms',
            style: 'points',
            queries: [{ expr: sloValues('ms'), legend: '{{slo}} {{kind}}' }],
          },
          {
            title: 'Ratio SLOs: observed, worst window, bound',
            description: 'Error rate, achieved rate and dropped-iteration SLOs.',
            unit: 'percentunit',
            style: 'points',
            queries: [{ expr: sloValues('ratio'), legend: '{{slo}} {{kind}}' }],
          },
        ],
      },
      {
        title: 'Scaling triggers',
        panels: [
          {
            kind: 'table',
            title: 'Trigger outcomes per run',
            description: 'fired-and-scaled, scaled-late, expected-but-not-fired... per run and trigger.',
            unit: 'short',
            queries: [{ expr: inRange(R.triggerOutcome.name, 'run_id, trigger, service, outcome, status'), legend: '', instant: true }],
          },
          {
            title: 'Trigger lag vs grace (s)',
            description: 'Seconds from fire to scale-up (only where both happened) against the allowed grace.',
            unit: 's',
            style: 'points',
            queries: [
              {
                expr:
                  `${kind(`max by (trigger) (${R.triggerLag.name}{${RESULT_RUN}})`, 'lag')} or ` +
                  kind(`max by (trigger) (${R.triggerGrace.name}{${RESULT_RUN}})`, 'grace'),
                legend: '{{trigger}} {{kind}}',
              },
            ],
          },
          {
            title: 'Trigger outcomes over time',
            description: 'Count of triggers per outcome at each run end.',
            unit: 'short',
            style: 'bars',
            width: 24,
            queries: [{ expr: `count by (outcome) (${R.triggerOutcome.name}{${RESULT_RUN}})`, legend: '{{outcome}}' }],
          },
        ],
      },
    ],
  };
}
