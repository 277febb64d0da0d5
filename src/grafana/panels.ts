/**
 * Checks that every panel query of a dashboard parses and returns data: extracts the PromQL of
 * each panel target, substitutes Grafana's variables the way Grafana's Prometheus datasource
 * does, and runs each as a range query. No data is not ok: a panel that would stay empty in
 * Grafana is reported, never passed.
 */
import type { MetricSource } from '../metrics/client.ts';

export interface PanelQuery {
  /** Dashboard uid. */
  dashboard: string;
  /** Panel title. */
  panel: string;
  panelId: number | null;
  refId: string;
  /** PromQL as stored in the dashboard, with Grafana variables. */
  expr: string;
}

/** Selects every value of a multi-value variable (Grafana's "All": the variable's allValue `.*`). */
export const ALL = '$__all';

export interface CheckVars {
  /** Run id(s) for `$testid`; ALL for every run. */
  testid: string | string[];
  /** Profile name(s) for `$profile`; ALL for every profile. */
  profile: string | string[];
  /** Value of `$__rate_interval`, a PromQL duration such as `30s` or `1m`. */
  rateInterval: string;
  /** Range start and end, epoch seconds. */
  start: number;
  end: number;
  /** Query step, seconds; also `$__interval`. @default max(1, ceil((end - start) / 250)) */
  step?: number;
  /** Value of `${datasource}` (only used in datasource refs). @default 'prometheus' */
  datasource?: string;
}

export interface PanelCheck extends PanelQuery {
  /** The expression as sent to Prometheus. */
  query: string;
  ok: boolean;
  /** Series with at least one finite sample. */
  series: number;
  error?: string;
}

interface RawPanel {
  id?: unknown;
  title?: unknown;
  targets?: unknown;
  panels?: unknown;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Every PromQL target of a dashboard, rows (collapsed or not) included, in panel order. */
export function panelQueries(dashboardJson: unknown): PanelQuery[] {
  const d = (dashboardJson ?? {}) as { uid?: unknown; panels?: unknown };
  const dashboard = typeof d.uid === 'string' ? d.uid : '(no uid)';
  const out: PanelQuery[] = [];
  const visit = (panels: unknown[]): void => {
    for (const raw of panels) {
      const p = (raw ?? {}) as RawPanel;
      for (const t of asArray(p.targets)) {
        const target = (t ?? {}) as { expr?: unknown; refId?: unknown; hide?: unknown };
        if (typeof target.expr !== 'string' || target.hide === true) continue;
        out.push({
          dashboard,
          panel: typeof p.title === 'string' ? p.title : '(untitled)',
          panelId: typeof p.id === 'number' ? p.id : null,
          refId: typeof target.refId === 'string' ? target.refId : '?',
          expr: target.expr,
        });
      }
      visit(asArray(p.panels));
    }
  };
  visit(asArray(d.panels));
  return out;
}

/** Regex-escapes a value for use inside a PromQL string literal (as Grafana does for multi-value variables). */
export function regexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

function multiValue(v: string | string[]): string {
  const values = typeof v === 'string' ? [v] : v;
  if (values.length === 0) throw new Error('a variable needs at least one value');
  if (values.includes(ALL)) return '.*';
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join('|')})`;
}

function defaultStep(start: number, end: number): number {
  return Math.max(1, Math.ceil((end - start) / 250));
}

/** Grafana's variable syntaxes: `$name`, `[[name]]`, `${name}`, `${name:format}`. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/** Substitutes Grafana variables; throws naming the first unknown variable. */
export function interpolate(expr: string, vars: CheckVars): string {
  const step = vars.step ?? defaultStep(vars.start, vars.end);
  const range = Math.max(1, Math.round(vars.end - vars.start));
  const values: Record<string, string> = {
    testid: multiValue(vars.testid),
    profile: multiValue(vars.profile),
    datasource: vars.datasource ?? 'prometheus',
    __rate_interval: vars.rateInterval,
    __interval: `${step}s`,
    __interval_ms: String(step * 1000),
    __range: `${range}s`,
    __range_s: String(range),
    __range_ms: String(range * 1000),
  };
  return expr.replace(VARIABLE, (match, a?: string, b?: string, _fmt?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`unknown variable ${match}`);
    return value;
  });
}

/** Runs each query over [start, end]; a query that errors or returns no data is not ok. */
export async function checkPanels(source: MetricSource, queries: PanelQuery[], vars: CheckVars): Promise<PanelCheck[]> {
  const step = vars.step ?? defaultStep(vars.start, vars.end);
  const results: PanelCheck[] = [];
  for (const q of queries) {
    let query = q.expr;
    try {
      query = interpolate(q.expr, vars);
      const series = await source.queryRange(query, vars.start, vars.end, step);
      const withData = series.filter((s) => s.values.some(([, v]) => Number.isFinite(v))).length;
      results.push(
        withData > 0 ? { ...q, query, ok: true, series: withData } : { ...q, query, ok: false, series: 0, error: 'no data' },
      );
    } catch (err) {
      results.push({ ...q, query, ok: false, series: 0, error: (err as Error).message });
    }
  }
  return results;
}

/** One line per failed query, for reports and test failures. */
export function describeFailures(checks: PanelCheck[]): string {
  return checks
    .filter((c) => !c.ok)
    .map((c) => `${c.dashboard} / ${c.panel} [${c.refId}]: ${c.error ?? 'not ok'}\n    ${c.query}`)
    .join('\n');
}
