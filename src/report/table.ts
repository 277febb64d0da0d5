/**
 * The plain-text verdict table printed at the end of a run. Fixed-width columns that read in a
 * CI log; ANSI colour only on a TTY with NO_COLOR unset (https://no-color.org).
 */
import type { Status } from '../controller/types.ts';
import {
  STATUS_WORD,
  baselineBound,
  baselineUnit,
  crossCheckMessage,
  fmtDelta,
  fmtLag,
  fmtOffset,
  fmtTime,
  fmtValue,
  fmtWorstWindow,
} from './format.ts';
import type { RunResult } from './types.ts';

export interface TableOptions {
  /** Colour status words with ANSI codes. @default useColor() */
  color: boolean;
  /** Longest text in one cell before it is cut with `...`, characters. @default 48 */
  maxCell: number;
}

/** Colour when `stream` is a TTY and NO_COLOR is unset or empty. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

const ANSI: Record<Status, string> = { pass: '\x1b[32m', fail: '\x1b[31m', inconclusive: '\x1b[33m' };

function cut(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, Math.max(0, max - 3))}...` : one;
}

/** A fixed-width table; `status` columns are coloured after padding so alignment holds. */
export function textTable(head: string[], rows: string[][], opts: TableOptions, statusCol = -1): string {
  if (rows.length === 0) return '  (none)';
  const cells = [head, ...rows].map((r) => r.map((c) => cut(c, opts.maxCell)));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r, ri) =>
      r
        .map((c, i) => {
          const padded = i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0);
          const status = (Object.keys(STATUS_WORD) as Status[]).find((s) => STATUS_WORD[s] === c);
          return opts.color && ri > 0 && i === statusCol && status ? `${ANSI[status]}${padded}\x1b[0m` : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

/** Renders the verdict of one run. */
export function renderTable({ plan, verdict: v, baseline }: RunResult, options: Partial<TableOptions> = {}): string {
  const opts: TableOptions = { color: options.color ?? useColor(), maxCell: options.maxCell ?? 48 };
  const word = (s: Status) => (opts.color ? `${ANSI[s]}${STATUS_WORD[s]}\x1b[0m` : STATUS_WORD[s]);
  const out = [
    `${v.profile}  run ${v.runId}  ${word(v.status)}`,
    `stack ${v.stack} at ${v.target}; scale ${v.scale}, time scale ${v.timeScale}; load ${fmtTime(v.startedAt)} for ${fmtValue(v.endedAt - v.startedAt, 's')}, peak ${fmtValue(plan.peakRate, 'req/s')}`,
    '',
    'SLOs',
    textTable(
      ['SLO', 'BOUND', 'WHOLE RUN', 'WORST WINDOW', 'STATUS', 'DETAIL'],
      v.slos.map((s) => [s.id, s.bound, fmtValue(s.observed, s.unit), fmtWorstWindow(s, v.startedAt), STATUS_WORD[s.status], s.detail]),
      opts,
      4,
    ),
    '',
    'Scaling triggers',
    textTable(
      ['TRIGGER', 'CONDITION', 'ACTION', 'EXPECT', 'OUTCOME', 'FIRED', 'LAG', 'GRACE', 'STATUS', 'DETAIL'],
      v.triggers.map((t) => [
        t.id,
        t.condition,
        t.action,
        t.expect,
        t.outcome,
        fmtOffset(t.firedAt, v.startedAt),
        fmtLag(t),
        fmtValue(t.graceSeconds, 's'),
        STATUS_WORD[t.status],
        t.detail,
      ]),
      opts,
      8,
    ),
    '',
    `Cross-check: ${crossCheckMessage(v)}`,
  ];
  if (baseline) {
    out.push('', `Baseline ${baseline.baseline.runId}: ${word(baseline.status)}${baseline.reason ? `: ${baseline.reason}` : ''}`);
    const rows = baseline.rows.map((r) => {
      const u = baselineUnit(r.metric);
      return [r.metric, fmtValue(r.baseline, u), fmtValue(r.current, u), fmtDelta(r.deltaRatio), baselineBound(r), STATUS_WORD[r.status]];
    });
    if (rows.length > 0) out.push(textTable(['METRIC', 'BASELINE', 'CURRENT', 'DELTA', 'ALLOWED', 'STATUS'], rows, opts, 5));
  }
  if (v.reasons.length > 0) out.push('', 'Reasons', ...v.reasons.map((r) => `  - ${r}`));
  return `${out.join('\n')}\n`;
}
