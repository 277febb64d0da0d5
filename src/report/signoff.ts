/**
 * The pre-release capacity sign-off document (Markdown and HTML): what was tested, where, with
 * which versions and plan inputs, each SLO and trigger verdict, the headroom against the
 * capacity plan, and an overall sign-off or the list of blockers.
 */
import type { Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import type { Environment } from '../run/environment.ts';
import { fmtValue } from './format.ts';

export interface SignoffRun {
  title: string;
  plan: Plan;
  verdict: Verdict;
  /** Does this run measure capacity against the plan's target (its headroom counts)? */
  capacity?: boolean;
}

export interface SignoffInput {
  environment: Environment;
  capacityText: string;
  /** Required gateway rate (req/s at scale 1) and what it is. */
  required: { rate: number; label: string };
  runs: SignoffRun[];
  interrupted: boolean;
}

export interface Signoff {
  signedOff: boolean;
  blockers: string[];
  markdown: string;
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The gateway rate a run showed the stack can carry, req/s at scale 1: a passing run held its
 * planned peak; a breakpoint run held its sustainable rate; a failing run showed nothing.
 */
export function heldAtScale1(r: SignoffRun): number | null {
  if (r.verdict.breakpoint) return r.verdict.breakpoint.sustainableRate;
  return r.verdict.status === 'pass' ? r.plan.peakRate / r.plan.scale : null;
}

export function buildSignoff(input: SignoffInput): Signoff {
  const blockers: string[] = [];
  if (input.interrupted) blockers.push('the sign-off suite was interrupted: not every run completed');
  for (const r of input.runs) {
    if (r.verdict.status !== 'pass') {
      for (const reason of r.verdict.reasons.length ? r.verdict.reasons : [`verdict ${r.verdict.status}`]) blockers.push(`${r.title}: ${reason}`);
    }
  }
  const e = input.environment;
  const lines: string[] = [];
  const signedOff = blockers.length === 0 && input.runs.length > 0;
  lines.push(`# Capacity sign-off: ${signedOff ? 'SIGNED OFF' : 'BLOCKED'}`, '');
  lines.push(`Generated ${e.at} by scale-harness.`, '');
  lines.push('## Environment', '', '| what | value |', '| --- | --- |');
  lines.push(`| git revision | ${e.git.revision ?? 'unknown'}${e.git.dirty ? ' (uncommitted changes)' : ''} |`);
  lines.push(`| machine | ${md(e.host)}: ${md(e.os)}, ${e.cpus} CPUs, ${e.memoryGiB} GiB |`, `| node | ${e.node} |`);
  for (const [tool, v] of Object.entries(e.tools)) lines.push(`| ${tool} | ${md(v)} |`);
  lines.push('', '## Capacity plan', '', '```', input.capacityText.trim(), '```', '');
  lines.push(`Required for this sign-off: **${Math.round(input.required.rate).toLocaleString('en-US')} req/s** at the gateway (${md(input.required.label)}).`, '');
  lines.push('## Runs', '', '| run | profile | target | scale | time scale | load | verdict | held (scale 1) | headroom |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of input.runs) {
    const held = heldAtScale1(r);
    const headroom = r.capacity && held !== null ? `${((held / input.required.rate) * 100).toFixed(0)} %` : r.capacity ? 'not shown' : '-';
    lines.push(
      `| ${md(r.title)} | ${r.plan.profile} | ${md(r.verdict.target)} | ${r.plan.scale} | ${r.plan.timeScale} | ${Math.round(r.plan.durationSeconds)} s, peak ${Math.round(r.plan.peakRate)} req/s | **${r.verdict.status}** | ${held === null ? '-' : `${Math.round(held).toLocaleString('en-US')} req/s`} | ${headroom} |`,
    );
  }
  for (const r of input.runs) {
    lines.push('', `### ${md(r.title)} (${r.verdict.runId})`, '', '| SLO | bound | whole run | worst window | status |', '| --- | --- | --- | --- | --- |');
    for (const s of r.verdict.slos) lines.push(`| ${s.id} | ${md(s.bound)} | ${fmtValue(s.observed, s.unit)} | ${s.worstWindow ? fmtValue(s.worstWindow.value, s.unit) : '-'} | ${s.status} |`);
    lines.push('', '| trigger | condition | action | outcome | lag | status |', '| --- | --- | --- | --- | --- | --- |');
    for (const t of r.verdict.triggers) lines.push(`| ${t.id} | ${md(t.condition)} | ${md(t.action)} | ${t.outcome} | ${t.lagSeconds === null ? '-' : `${t.lagSeconds.toFixed(1)} s`} | ${t.status} |`);
    if (r.verdict.breakpoint) lines.push('', `Breakpoint: ${md(r.verdict.breakpoint.detail)}`);
  }
  lines.push('', '## Decision', '');
  if (signedOff) lines.push('All SLOs held and every scaling trigger behaved as the plan promises: **signed off**.');
  else lines.push('**Not signed off.** Blockers:', '', ...blockers.map((b) => `- ${md(b)}`));
  return { signedOff, blockers, markdown: `${lines.join('\n')}\n` };
}

/** A plain HTML rendering of the Markdown document (headings, tables, lists, code). */
export function signoffHtml(markdown: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const inline = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  const out: string[] = [];
  let inCode = false;
  let table: string[][] | null = null;
  const flushTable = () => {
    if (!table) return;
    const [head, , ...rows] = table;
    out.push('<table><thead><tr>' + (head ?? []).map((c) => `<th>${inline(c)}</th>`).join('') + '</tr></thead><tbody>');
    for (const r of rows) out.push('<tr>' + r.map((c) => `<td>${inline(c)}</td>`).join('') + '</tr>');
    out.push('</tbody></table>');
    table = null;
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      flushTable();
      out.push(inCode ? '</pre>' : '<pre>');
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(esc(line));
      continue;
    }
    if (line.startsWith('|')) {
      (table ??= []).push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
      continue;
    }
    flushTable();
    const h = /^(#{1,3}) (.*)$/.exec(line);
    if (h) out.push(`<h${h[1]!.length}>${inline(h[2]!)}</h${h[1]!.length}>`);
    else if (line.startsWith('- ')) out.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  flushTable();
  const style = 'body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}pre{background:#f4f4f4;padding:1em;overflow:auto}';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Capacity sign-off</title><style>${style}</style></head><body>\n${out.join('\n')}\n</body></html>\n`;
}
