/**
 * summary.md: the verdicts as GitHub-flavoured Markdown, for a PR comment or the job summary
 * page (`$GITHUB_STEP_SUMMARY`). Text from plans and verdicts is escaped for table cells.
 */
import { appendFile } from 'node:fs/promises';
import type { Status } from '../controller/types.ts';
import { combine } from '../controller/types.ts';
import type { BaselineComparison } from './baseline.ts';
import {
  STATUS_WORD,
  baselineBound,
  baselineUnit,
  crossCheckMessage,
  fmtDelta,
  fmtLag,
  fmtOffset,
  fmtScope,
  fmtValue,
  fmtWorstWindow,
  faultsMessage,
  notExercisedMessage,
} from './format.ts';
import type { RunResult } from './types.ts';

const ICON: Record<Status, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' };

/** Escapes text for a Markdown table cell: no pipes, no HTML, no line breaks. */
export function mdCell(value: unknown): string {
  return String(value ?? '')
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

const st = (s: Status) => `${ICON[s]} ${STATUS_WORD[s]}`;

function mdTable(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '_none_\n';
  const line = (cells: unknown[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') + '\n';
}

function baselineSection(cmp: BaselineComparison | null | undefined): string {
  if (!cmp) return '**Baseline:** none for this profile.\n';
  const head = `**Baseline** ${mdCell(cmp.baseline.runId)} (${mdCell(cmp.baseline.createdAt)}): ${st(cmp.status)}${cmp.reason ? `, ${mdCell(cmp.reason)}` : ''}\n\n`;
  const rows = cmp.rows.map((r) => {
    const u = baselineUnit(r.metric);
    return [r.metric, fmtValue(r.baseline, u), fmtValue(r.current, u), fmtDelta(r.deltaRatio), baselineBound(r), st(r.status)];
  });
  return head + (rows.length > 0 ? mdTable(['metric', 'baseline', 'current', 'delta', 'allowed', 'status'], rows) : '');
}

function runSection({ plan, verdict: v, baseline }: RunResult): string {
  const parts = [
    `## ${ICON[v.status]} ${mdCell(v.profile)}: ${STATUS_WORD[v.status]}\n`,
    `Run \`${v.runId.replace(/`/g, '')}\`, stack ${mdCell(v.stack)} at ${mdCell(v.target)}, scale ${v.scale}, time scale ${v.timeScale}, ` +
      `${fmtValue(v.endedAt - v.startedAt, 's')} of load (peak ${fmtValue(plan.peakRate, 'req/s')}).\n`,
  ];
  if (v.dashboardUrl) parts.push(`Grafana: ${v.dashboardUrl}\n`);
  if (v.reasons.length > 0) parts.push(v.reasons.map((r) => `- ${mdCell(r)}`).join('\n') + '\n');
  parts.push(`**Faults injected:** ${mdCell(faultsMessage(v))}\n`);
  const idle = notExercisedMessage(v);
  if (idle) parts.push(`**Not exercised:** ${mdCell(idle)}\n`);
  parts.push(
    '### SLOs\n',
    mdTable(
      ['SLO', 'scope', 'bound', 'whole run', 'worst window', 'status'],
      v.slos.map((s) => [s.id, fmtScope(s.scope), s.bound, fmtValue(s.observed, s.unit), fmtWorstWindow(s, v.startedAt), st(s.status)]),
    ),
    '### Scaling triggers\n',
    mdTable(
      ['trigger', 'condition', 'action', 'expect', 'outcome', 'fired', 'lag', 'grace', 'status'],
      v.triggers.map((t) => [t.id, t.condition, t.action, t.expect, t.outcome, fmtOffset(t.firedAt, v.startedAt), fmtLag(t), fmtValue(t.graceSeconds, 's'), st(t.status)]),
    ),
    `**Request count cross-check:** ${mdCell(crossCheckMessage(v))}\n`,
    baselineSection(baseline),
  );
  return parts.join('\n');
}

/** Renders the summary of one or more runs. */
export function renderMarkdown(results: RunResult[]): string {
  const overall = combine(results.map((r) => r.verdict.status));
  const title = results.length === 1 ? '' : `# ${ICON[overall]} Gate: ${STATUS_WORD[overall]} (${results.length} runs)\n\n`;
  return title + results.map(runSection).join('\n');
}

/**
 * Appends to the GitHub Actions job summary when `GITHUB_STEP_SUMMARY` is set.
 * @returns whether it was written
 */
export async function writeStepSummary(md: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  await appendFile(file, md.endsWith('\n') ? md : `${md}\n`);
  return true;
}
