/**
 * Where a case lands in the confusion matrix. A fault case is `detected` when its expected row
 * says the expected outcome, `wrong` when the run failed on other rows only, `missed` when it
 * passed; a clean case is `passed` or a `false-alarm`. A run that gave no verdict, or an
 * `inconclusive` one without the expected row, is `inconclusive`: harness trouble, not a
 * judgement of the stack.
 */
import type { Verdict } from '../controller/types.ts';
import type { Expected } from './matrix.ts';
import type { CaseRun } from './run-case.ts';

export type Cell = 'detected' | 'wrong' | 'missed' | 'passed' | 'false-alarm' | 'inconclusive';

export const CELLS: readonly Cell[] = ['detected', 'wrong', 'missed', 'passed', 'false-alarm', 'inconclusive'];

/** Cells that make the self-test fail (exit 1); `inconclusive` makes it inconclusive (exit 3). */
export const FAILING_CELLS: ReadonlySet<Cell> = new Set(['wrong', 'missed', 'false-alarm']);

export interface Classified {
  cell: Cell;
  /** What the run said, e.g. `trigger:auth-cpu scaled-late` or `pass`. */
  observed: string;
  detail: string;
}

/** A verdict row's outcome: a trigger's outcome, or an SLO's status; null when the verdict has no such row. */
export function rowOutcome(v: Verdict, row: string): { outcome: string; status: string; detail: string } | null {
  const [kind, id] = [row.slice(0, row.indexOf(':')), row.slice(row.indexOf(':') + 1)];
  if (kind === 'trigger') {
    const t = v.triggers.find((x) => x.id === id);
    return t ? { outcome: t.outcome, status: t.status, detail: t.detail } : null;
  }
  const s = v.slos.find((x) => x.id === id);
  return s ? { outcome: s.status, status: s.status, detail: s.detail } : null;
}

/** The rows that did not pass, as `row outcome`. */
export function brokenRows(v: Verdict): string[] {
  return [
    ...v.triggers.filter((t) => t.status !== 'pass').map((t) => `trigger:${t.id} ${t.outcome}`),
    ...v.slos.filter((s) => s.status !== 'pass').map((s) => `slo:${s.id} ${s.status}`),
    ...(v.crossCheck.status !== 'pass' ? [`cross-check ${v.crossCheck.status}`] : []),
  ];
}

const matches = (row: { outcome: string; status: string }, outcome: string): boolean => row.outcome === outcome || row.status === outcome;

export function classify(expect: Expected, run: Pick<CaseRun, 'verdict' | 'trouble' | 'exitCode'>): Classified {
  const v = run.verdict;
  if (!v) return { cell: 'inconclusive', observed: `no verdict (exit ${run.exitCode ?? 'none'})`, detail: run.trouble ?? 'the run wrote no verdict' };
  const broken = brokenRows(v);
  const observed = v.status === 'pass' ? 'pass' : `${v.status}: ${broken.join(', ') || v.reasons.join('; ')}`;
  const reasons = v.reasons.join('; ');
  if (expect === 'pass') {
    if (v.status === 'pass') return { cell: 'passed', observed, detail: 'no row broke' };
    if (v.status === 'fail') return { cell: 'false-alarm', observed, detail: reasons };
    return { cell: 'inconclusive', observed, detail: reasons };
  }
  const row = rowOutcome(v, expect.row);
  if (row && matches(row, expect.outcome)) return { cell: 'detected', observed, detail: row.detail };
  const said = row ? `${expect.row} said ${row.outcome}${row.detail ? ` (${row.detail})` : ''}` : `the verdict has no row ${expect.row}`;
  if (v.status === 'pass') return { cell: 'missed', observed, detail: said };
  if (v.status === 'fail') return { cell: 'wrong', observed, detail: said };
  return { cell: 'inconclusive', observed, detail: `${said}; ${reasons}` };
}
