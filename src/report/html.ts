/**
 * report.html: one self-contained file (inline CSS, uPlot and data) that opens from disk with no
 * network. Every piece of text from a plan or verdict goes through `esc`.
 */
import { join } from 'node:path';
import type { Status, Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import { writeFileAtomic } from './run-folder.ts';
import {
  STATUS_WORD,
  crossCheckMessage,
  fmtLag,
  fmtOffset,
  fmtReplicas,
  fmtScope,
  fmtTime,
  fmtValue,
  fmtWorstWindow,
  faultsMessage,
  notExercisedMessage,
} from './format.ts';
import { CHART_SCRIPT, chartData, scriptJson, uplotAssets } from './html-charts.ts';
import type { RunSeries } from './series.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STATUS_COLOUR: Record<Status, string> = { pass: '#1a7f37', fail: '#cf222e', inconclusive: '#9a6700' };

function badge(status: Status): string {
  return `<span class="badge ${status}">${STATUS_WORD[status]}</span>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** Flattens nested plan inputs into `a.b` keys; arrays and deeper values are shown as JSON. */
export function flattenInputs(inputs: Record<string, unknown>, prefix = '', depth = 0): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(inputs)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 2) {
      rows.push(...flattenInputs(v as Record<string, unknown>, key, depth + 1));
    } else {
      rows.push([key, typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)]);
    }
  }
  return rows;
}

function header(plan: Plan, v: Verdict): string {
  const facts: Array<[string, string]> = [
    ['run id', v.runId],
    ['profile', `${v.profile} (${plan.profileFile})`],
    ['stack / target', `${v.stack} / ${v.target}`],
    ['scale / time scale', `${v.scale} / ${v.timeScale}`],
    ['load window', `${fmtTime(v.startedAt)} .. ${fmtTime(v.endedAt)} (${fmtValue(v.endedAt - v.startedAt, 's')})`],
    ['peak rate', fmtValue(plan.peakRate, 'req/s')],
    ['k6 exit code', v.k6ExitCode === null ? '-' : String(v.k6ExitCode)],
  ];
  if (v.interrupted) facts.push(['interrupted', 'yes']);
  facts.push(['faults injected', faultsMessage(v)]);
  const idle = notExercisedMessage(v);
  if (idle) facts.push(['not exercised', idle]);
  const dl = facts.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${esc(val)}</dd>`).join('');
  const grafana = v.dashboardUrl ? `<dt>grafana</dt><dd><a href="${esc(v.dashboardUrl)}">run dashboard</a></dd>` : '';
  return `<header class="${v.status}"><h1>${badge(v.status)} ${esc(v.profile)}</h1><p>${esc(plan.description)}</p><dl>${dl}${grafana}</dl></header>`;
}

function reasons(v: Verdict, series: RunSeries): string {
  const lines = [...v.reasons, ...series.errors.map((e) => `query for ${e.family} failed: ${e.message}`)];
  if (lines.length === 0) return '';
  return `<section id="reasons"><h2>Reasons</h2><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`;
}

function sloTable(v: Verdict): string {
  return table(
    ['SLO', 'objective', 'scope', 'bound', 'whole run', 'worst window', 'status', 'detail'],
    v.slos.map((s) => [
      esc(s.id),
      esc(s.objective),
      esc(fmtScope(s.scope)),
      esc(s.bound),
      esc(fmtValue(s.observed, s.unit)),
      esc(fmtWorstWindow(s, v.startedAt)),
      badge(s.status),
      esc(s.detail),
    ]),
    'slos',
  );
}

function triggerTable(v: Verdict): string {
  return table(
    ['trigger', 'service', 'condition', 'action', 'expect', 'outcome', 'fired at', 'scaled at', 'lag', 'grace', 'replicas', 'status', 'detail'],
    v.triggers.map((t) => [
      esc(t.id),
      esc(t.service),
      esc(t.condition),
      esc(t.action),
      esc(t.expect),
      esc(t.outcome),
      esc(fmtOffset(t.firedAt, v.startedAt)),
      esc(fmtOffset(t.scaledAt, v.startedAt)),
      esc(fmtLag(t)),
      `<span title="${esc(t.graceDerivation)}">${esc(fmtValue(t.graceSeconds, 's'))}</span>`,
      esc(fmtReplicas(t)),
      badge(t.status),
      esc(t.detail),
    ]),
    'triggers',
  );
}

function trafficTable(v: Verdict): string {
  return table(
    ['kind', 'name', 'requests', 'rate', 'p95', 'p99', 'errors', 'iterations (done / target / dropped)'],
    v.traffic.map((r) => [
      esc(r.kind),
      esc(r.name),
      esc(r.requests),
      esc(fmtValue(r.rps, 'req/s')),
      esc(fmtValue(r.p95Ms, 'ms')),
      esc(fmtValue(r.p99Ms, 'ms')),
      esc(fmtValue(r.errorRate, 'ratio')),
      esc(r.iterations === undefined ? '-' : `${r.iterations} / ${r.targetIterations ?? '-'} / ${r.droppedIterations ?? '-'}`),
    ]),
    'traffic',
  );
}

function charts(series: RunSeries): { html: string; data: ReturnType<typeof chartData> } {
  const data = chartData(series);
  const html = data
    .map((c) => {
      const body = c.data.length > 0 ? `<div class="chart" data-chart="${esc(c.id)}"></div>` : '<p class="none">no data</p>';
      const errs = c.errors.map((e) => `<p class="error">query failed: ${esc(e)}</p>`).join('');
      return `<figure id="chart-${esc(c.id)}"><figcaption>${esc(c.title)}</figcaption>${body}${errs}</figure>`;
    })
    .join('\n');
  return { html, data };
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1280px;padding:0 16px 40px;color:#1f2328}
header{border-left:8px solid;padding:4px 16px;margin:16px 0}
${(Object.keys(STATUS_COLOUR) as Status[]).map((s) => `header.${s}{border-color:${STATUS_COLOUR[s]}}.badge.${s}{background:${STATUS_COLOUR[s]}}`).join('\n')}
.badge{color:#fff;border-radius:4px;padding:1px 6px;font-size:.85em;font-weight:600}
h1 .badge{font-size:.7em;vertical-align:middle}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dt{color:#57606a}dd{margin:0}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}
figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}
.none{color:#57606a}.error{color:#cf222e}
`;

/** Renders the whole report as one HTML string. */
export function renderHtml(plan: Plan, verdict: Verdict, series: RunSeries): string {
  const { js, css } = uplotAssets();
  const chartParts = charts(series);
  const inputs = flattenInputs(plan.inputs).map(([k, val]) => [esc(k), esc(val)]);
  const cross = `<p>${badge(verdict.crossCheck.status)} ${esc(crossCheckMessage(verdict))}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${STATUS_WORD[verdict.status]} ${verdict.profile} ${verdict.runId}`)}</title>
<style>${css}</style><style>${CSS}</style>
</head><body>
${header(plan, verdict)}
${reasons(verdict, series)}
<section id="slos"><h2>SLOs</h2>${sloTable(verdict)}</section>
<section id="triggers"><h2>Scaling triggers</h2>${triggerTable(verdict)}</section>
<section id="charts"><h2>Charts</h2>
${chartParts.html}
</section>
<section id="traffic"><h2>Traffic</h2>${trafficTable(verdict)}<h3>Request count cross-check</h3>${cross}</section>
<section id="inputs"><h2>Plan inputs</h2>${table(['input', 'value'], inputs, 'inputs')}</section>
<script type="application/json" id="report-data">${scriptJson(chartParts.data)}</script>
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

/** Writes `<runDir>/report.html` and returns its path. */
export async function writeHtmlReport(runDir: string, plan: Plan, verdict: Verdict, series: RunSeries): Promise<string> {
  const file = join(runDir, 'report.html');
  await writeFileAtomic(file, renderHtml(plan, verdict, series));
  return file;
}
