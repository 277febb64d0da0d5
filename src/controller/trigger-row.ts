/** A judged trigger row as the verdict stores it, and its status from its outcome and expectation. */
import type { PlanTrigger } from '../plan/types.ts';
import { actionText, conditionText } from './trigger-text.ts';
import type { Firing } from './trigger-firings.ts';
import type { Status, TriggerOutcome, TriggerResult } from './types.ts';

const FAILING: readonly TriggerOutcome[] = ['fired-not-scaled', 'scaled-late', 'wrong-step', 'flapping', 'scaled-without-trigger', 'expected-but-not-fired'];

export function statusOf(outcome: TriggerOutcome, expect: PlanTrigger['expect']): Status {
  const fired = !['not-fired', 'not-exercised', 'no-data', 'expected-but-not-fired', 'scaled-without-trigger'].includes(outcome);
  if (expect === 'quiet' && fired) return 'fail';
  return FAILING.includes(outcome) ? 'fail' : 'pass';
}

export interface JudgedRow {
  t: PlanTrigger;
  grace: { seconds: number; derivation: string };
  held: Array<[number, number]>;
}

export function triggerResult(row: JudgedRow, f: Firing | null, outcome: TriggerOutcome, detail: string, status = statusOf(outcome, row.t.expect)): TriggerResult {
  const t = row.t;
  return {
    id: t.id,
    service: t.service,
    condition: conditionText(t),
    action: actionText(t),
    expect: t.expect,
    outcome,
    status,
    heldIntervals: row.held,
    firedAt: f?.at ?? null,
    scaledAt: f?.scaledAt ?? null,
    lagSeconds: f?.lagSeconds ?? null,
    graceSeconds: Math.round(row.grace.seconds * 100) / 100,
    graceDerivation: row.grace.derivation,
    replicasBefore: f?.before ?? null,
    replicasAfter: f?.after ?? null,
    expectedStep: t.action.type === 'add-instances' || t.action.type === 'add-workers' ? t.action.count : null,
    detail,
  };
}
