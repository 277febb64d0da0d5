/**
 * Formatting shared by every reporter, so that the table, the Markdown, the JUnit messages and
 * the HTML show the same numbers the same way.
 */
import type { SloResult, Status, TriggerResult, Verdict, WindowValue } from '../controller/types.ts';
import type { BaselineRow } from './baseline.ts';
import { faultText } from '../controller/evidence.ts';

/** A value in `unit`, or `-` when missing. Ratios are shown as percentages. */
export function fmtValue(value: number | null | undefined, unit: SloResult['unit'] | 's' | 'req/s' | ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  switch (unit) {
    case 'ms':
      return `${round(value, value < 10 ? 1 : 0)} ms`;
    case 'ratio':
      return `${round(value * 100, 2)} %`;
    case 's':
      return `${round(value, 1)} s`;
    case 'req/s':
      return `${round(value, value < 10 ? 2 : 1)} req/s`;
    case 'bytes':
      return `${round(value, 0)} B`;
    case 'ms/h':
    case '%/h':
      return `${round(value, 2)} ${unit}`;
    default:
      return String(round(value, 3));
  }
}

/** The faults injected on purpose, as `--fault` spells them, or `none`. */
export function faultsMessage(v: Verdict): string {
  const faults = v.faults ?? [];
  return faults.length > 0 ? faults.map(faultText).join(', ') : 'none';
}

/** Trigger rows that never fired and of which nothing was expected: no evidence, listed plainly. */
export function notExercisedMessage(v: Verdict): string | null {
  const ids = v.triggers.filter((t) => t.outcome === 'not-exercised').map((t) => t.id);
  return ids.length > 0 ? `${ids.join(', ')} (never fired; the profile asks nothing of ${ids.length === 1 ? 'it' : 'them'}, so nothing about ${ids.length === 1 ? 'it' : 'them'} was tested)` : null;
}

/** Rounds to `digits` decimals and drops trailing zeros. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Epoch seconds to `2026-11-22 01:44:05Z`. */
export function fmtTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Epoch seconds as an offset from the run start: `+95 s`. */
export function fmtOffset(epochSeconds: number | null, start: number): string {
  if (epochSeconds === null) return '-';
  return `+${round(epochSeconds - start, 1)} s`;
}

export function fmtWorstWindow(slo: SloResult, start: number): string {
  const w: WindowValue | null = slo.worstWindow;
  if (!w) return '-';
  return `${fmtValue(w.value, slo.unit)} (${fmtOffset(w.start, start)}..${fmtOffset(w.end, start)})`;
}

export function fmtScope(scope: SloResult['scope']): string {
  const parts = Object.entries(scope)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(' ') : 'all';
}

export function fmtLag(t: TriggerResult): string {
  return t.lagSeconds === null ? '-' : fmtValue(t.lagSeconds, 's');
}

export function fmtReplicas(t: TriggerResult): string {
  if (t.replicasBefore === null && t.replicasAfter === null) return '-';
  return `${t.replicasBefore ?? '?'} -> ${t.replicasAfter ?? '?'}`;
}

/** One line explaining an SLO result, used as the failure message in JUnit and elsewhere. */
export function sloMessage(slo: SloResult, start: number): string {
  const worst = slo.worstWindow ? `, worst window ${fmtWorstWindow(slo, start)}` : '';
  const detail = slo.detail ? `: ${slo.detail}` : '';
  return `${slo.status}: observed ${fmtValue(slo.observed, slo.unit)}${worst} vs bound ${slo.bound}${detail}`;
}

/** One line explaining a trigger result. */
export function triggerMessage(t: TriggerResult, start: number): string {
  const parts = [
    `${t.status}: ${t.outcome} (expect ${t.expect})`,
    `fired ${fmtOffset(t.firedAt, start)}`,
    `scaled ${fmtOffset(t.scaledAt, start)}`,
    `lag ${fmtLag(t)} of grace ${fmtValue(t.graceSeconds, 's')}`,
    `replicas ${fmtReplicas(t)}`,
  ];
  return `${parts.join(', ')}${t.detail ? `: ${t.detail}` : ''}`;
}

export function crossCheckMessage(v: Verdict): string {
  const c = v.crossCheck;
  return `${c.status}: Prometheus counted ${c.prometheusRequests ?? '-'} requests, k6 counted ${c.k6Requests ?? '-'} (difference ${fmtValue(c.diffRatio, 'ratio')})`;
}

/** The unit of a baseline metric, from its name suffix. */
export function baselineUnit(metric: string): 'ms' | 's' | 'ratio' {
  return metric.endsWith('_ms') ? 'ms' : metric.endsWith('_s') ? 's' : 'ratio';
}

/** A relative change as `+12.5 %`. */
export function fmtDelta(deltaRatio: number | null): string {
  if (deltaRatio === null) return '-';
  return `${deltaRatio >= 0 ? '+' : ''}${fmtValue(deltaRatio, 'ratio')}`;
}

/** `<=` bound for everything but the achieved ratio, which must not drop. */
export function baselineBound(row: BaselineRow): string {
  return `${row.metric === 'achieved_ratio' ? '>=' : '<='} ${fmtValue(row.allowed, baselineUnit(row.metric))}`;
}

export function baselineMessage(row: BaselineRow, baselineRunId: string): string {
  const u = baselineUnit(row.metric);
  return `${row.status}: current ${fmtValue(row.current, u)} vs baseline ${fmtValue(row.baseline, u)} (${fmtDelta(row.deltaRatio)}), allowed ${baselineBound(row)} (baseline run ${baselineRunId})`;
}

export const STATUS_WORD: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' };
