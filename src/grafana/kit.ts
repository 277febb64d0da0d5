/**
 * Small helpers over the Grafana foundation SDK so that each dashboard reads as a list of
 * panels: a panel is a title, a unit and its PromQL, and the layout and ids are assigned here.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  GraphDrawStyle,
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
  ReduceDataOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { ANNOTATION_TAG } from './series.ts';

/** Panels point at the datasource chosen in the `datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** The uid of the datasource in dashboards/provisioning/datasources/prometheus.yaml. */
export const PROVISIONED_DATASOURCE_UID = 'scale-harness-prometheus';


export interface QuerySpec {
  expr: string;
  /** Grafana legend template, e.g. `{{journey}} p95`. */
  legend: string;
  /** Evaluate once at the end of the range (tables, stats). */
  instant?: boolean;
}

export interface PanelSpec {
  kind?: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  /** Grafana unit id: ms, s, percent, percentunit, reqps, short, bool... */
  unit: string;
  queries: QuerySpec[];
  /** Grid columns out of 24. @default 12 */
  width?: number;
  /** Grid rows. @default 8 */
  height?: number;
  /** Timeseries draw style. @default 'line' */
  style?: 'line' | 'points' | 'bars';
  /** refIds drawn dashed (thresholds, targets). */
  dashed?: string[];
  /** Series names (after the legend template) drawn dashed, as a regular expression. */
  dashedNames?: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Relative time range, e.g. `now-1h`. */
  from: string;
  refresh: string;
  /** Query for the `testid` variable's values. */
  testidQuery: string;
  rows: Array<{ title: string; panels: PanelSpec[] }>;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function refId(i: number): string {
  const id = REF_IDS[i];
  if (id === undefined) throw new RangeError(`a panel has at most ${REF_IDS.length} queries`);
  return id;
}

function target(q: QuerySpec, i: number): DataqueryBuilder {
  const b = new DataqueryBuilder().datasource(DATASOURCE).refId(refId(i)).expr(q.expr).legendFormat(q.legend);
  return q.instant ? b.instant().format(PromQueryFormat.Table) : b.range();
}

/** What every panel builder takes alike. */
interface CommonPanel<T> {
  id(id: number): T;
  title(t: string): T;
  description(d: string): T;
  datasource(d: typeof DATASOURCE): T;
  unit(u: string): T;
  span(w: number): T;
  height(h: number): T;
  targets(t: ReturnType<typeof target>[]): T;
}

/** The fields every panel shares: id, texts, datasource, unit, size and queries. */
function common<T extends CommonPanel<T>>(b: T, spec: PanelSpec, id: number): T {
  return b
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .targets(spec.queries.map(target));
}

function panel(spec: PanelSpec, id: number): cog.Builder<import('@grafana/grafana-foundation-sdk/dashboard').Panel> {
  if (spec.kind === 'stat') {
    return common(new StatPanel(), spec, id).reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  }
  if (spec.kind === 'table') {
    return common(new TablePanel(), spec, id).withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
  }
  const style = spec.style ?? 'line';
  let ts = common(new TimeseriesPanel(), spec, id)
    .drawStyle(style === 'points' ? GraphDrawStyle.Points : style === 'bars' ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
    .showPoints(style === 'points' ? VisibilityMode.Always : VisibilityMode.Never)
    .pointSize(style === 'points' ? 8 : 4)
    .lineWidth(1)
    .fillOpacity(style === 'bars' ? 60 : 0)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  const dash = [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'custom.lineWidth', value: 2 },
  ];
  for (const ref of spec.dashed ?? []) ts = ts.overrideByQuery(ref, dash);
  if (spec.dashedNames) ts = ts.overrideByRegexp(spec.dashedNames, dash);
  return ts;
}

/** An annotation query on Grafana's built-in datasource, filtered by tag. */
function annotationTarget(tags: string[]): cog.Dataquery {
  return { type: 'tags', tags, limit: 100, matchAny: false, _implementsDataqueryVariant() {} } as cog.Dataquery;
}

function variables(spec: DashboardSpec) {
  const datasource = new DatasourceVariableBuilder('datasource')
    .label('Prometheus')
    .type('prometheus')
    .current({ selected: true, text: 'Prometheus', value: PROVISIONED_DATASOURCE_UID });
  const testid = new QueryVariableBuilder('testid')
    .label('Run (testid)')
    .datasource(DATASOURCE)
    .query(spec.testidQuery)
    .definition(spec.testidQuery)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalDesc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
  const profileQuery = 'label_values(scale_harness_run_status, profile)';
  const profile = new QueryVariableBuilder('profile')
    .label('Profile')
    .datasource(DATASOURCE)
    .query(profileQuery)
    .definition(profileQuery)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
  return [datasource, profile, testid];
}

/** Builds one dashboard; panel ids are 1.. in reading order, so they are stable. */
export function buildDashboard(spec: DashboardSpec): Record<string, unknown> {
  const b = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: spec.from, to: 'now' })
    .refresh(spec.refresh)
    .timezone('browser')
    .variables(variables(spec))
    .annotation(
      new AnnotationQueryBuilder()
        .name('scale-harness runs')
        .datasource({ type: 'grafana', uid: '-- Grafana --' })
        .enable(true)
        .iconColor('rgba(255, 96, 96, 1)')
        .target({ build: () => annotationTarget([ANNOTATION_TAG]) }),
    );
  let id = 1;
  for (const row of spec.rows) {
    b.withRow(new RowBuilder(row.title).id(id++));
    for (const p of row.panels) b.withPanel(panel(p, id++));
  }
  // A plain JSON value: drops the SDK's marker methods, fixes the key order.
  return JSON.parse(JSON.stringify(b.build())) as Record<string, unknown>;
}
