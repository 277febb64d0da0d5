/**
 * Charts of the HTML report: which series go on which chart, the data aligned for uPlot, and
 * the small browser script that draws them (with fire/scale markers as labelled vertical lines).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ToolError } from '../errors.ts';
import type { Marker, RunSeries, SeriesFamily, SeriesUnit } from './series.ts';

interface ChartSpec {
  id: string;
  title: string;
  unit: SeriesUnit;
  families: SeriesFamily[];
  markers: Array<Marker['kind']>;
}

export const CHARTS: ChartSpec[] = [
  { id: 'rate', title: 'Request rate: target (dashed) vs achieved', unit: 'req/s', families: ['target_rps', 'achieved_rps'], markers: ['run'] },
  { id: 'latency', title: 'k6 latency: p50 (dotted), p95, p99 (dashed)', unit: 'ms', families: ['k6_p50_ms', 'k6_p95_ms', 'k6_p99_ms'], markers: ['run'] },
  { id: 'server-latency', title: 'Server-side p95 latency by service', unit: 'ms', families: ['server_p95_ms'], markers: ['fire', 'scale'] },
  {
    id: 'replicas',
    title: 'Replicas per deployment: available, desired (dashed); trigger fire/scale markers',
    unit: 'replicas',
    families: ['replicas_available', 'replicas_spec'],
    markers: ['fire', 'scale', 'run'],
  },
  { id: 'cpu', title: 'CPU % by deployment', unit: '%', families: ['cpu_percent'], markers: ['fire', 'scale'] },
  { id: 'queues', title: 'Queue depth', unit: 'messages', families: ['queue_depth'], markers: ['fire', 'scale'] },
  { id: 'errors', title: 'Error ratio by journey', unit: 'ratio', families: ['error_ratio'], markers: ['run'] },
];

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#7f7f7f'];
const DASH: Partial<Record<SeriesFamily, number[]>> = { target_rps: [6, 4], k6_p50_ms: [2, 3], k6_p99_ms: [8, 4], replicas_spec: [6, 4] };

export interface ChartData {
  id: string;
  title: string;
  unit: SeriesUnit;
  /** uPlot's columnar data: [xs, ...ys], null where a series has no sample. */
  data: Array<Array<number | null>>;
  series: Array<{ label: string; stroke: string; dash: number[] | null }>;
  markers: Marker[];
  /** Failed queries behind this chart. */
  errors: string[];
}

/** Groups series into charts and aligns each chart's series on the union of their timestamps. */
export function chartData(run: RunSeries): ChartData[] {
  const colours = new Map<string, string>();
  const colourOf = (key: string) => {
    if (!colours.has(key)) colours.set(key, PALETTE[colours.size % PALETTE.length] ?? '#000');
    return colours.get(key) ?? '#000';
  };
  return CHARTS.map((spec) => {
    const members = run.series.filter((s) => spec.families.includes(familyOf(s.id)) && s.points.length > 0);
    const xs = [...new Set(members.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
    const index = new Map(xs.map((t, i) => [t, i]));
    const ys = members.map((s) => {
      const col: Array<number | null> = xs.map(() => null);
      for (const [t, v] of s.points) col[index.get(t) ?? 0] = v;
      return col;
    });
    return {
      id: spec.id,
      title: spec.title,
      unit: spec.unit,
      data: members.length > 0 ? [xs, ...ys] : [],
      series: members.map((s) => ({
        label: s.title,
        // One colour per journey/deployment/service, so target and achieved of one journey match.
        stroke: colourOf(s.id.slice(s.id.indexOf(':') + 1)),
        dash: DASH[familyOf(s.id)] ?? null,
      })),
      markers: run.markers.filter((m) => spec.markers.includes(m.kind)),
      errors: run.errors.filter((e) => spec.families.includes(e.family)).map((e) => `${e.family}: ${e.message}`),
    };
  });
}

function familyOf(id: string): SeriesFamily {
  return id.split(':')[0] as SeriesFamily;
}

let assets: { js: string; css: string } | null = null;

/** uPlot's browser build and stylesheet, read from node_modules to be inlined. */
export function uplotAssets(): { js: string; css: string } {
  if (assets) return assets;
  let dist: string;
  try {
    dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  } catch {
    throw new ToolError('the HTML report needs the uplot package: run npm install (uplot 1.6 is a dependency)');
  }
  assets = {
    js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return assets;
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Browser side: draws every chart in `#report-data` into its `<div data-chart>`. */
export const CHART_SCRIPT = String.raw`
(function () {
  var charts = JSON.parse(document.getElementById('report-data').textContent);
  var MARK = { fire: '#cf222e', scale: '#1a7f37', run: '#57606a' };
  var dpr = window.devicePixelRatio || 1;
  function fmt(unit, v) {
    if (v == null) return '-';
    if (unit === 'ratio') return (v * 100).toFixed(2) + ' %';
    var d = Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0;
    return v.toFixed(d) + ' ' + unit;
  }
  function markers(list) {
    return { hooks: { draw: [function (u) {
      var c = u.ctx, top = u.bbox.top, h = u.bbox.height, left = u.bbox.left, right = left + u.bbox.width;
      c.save();
      c.font = Math.round(11 * dpr) + 'px system-ui, sans-serif';
      list.forEach(function (m, i) {
        var x = Math.round(u.valToPos(m.time, 'x', true));
        if (x < left || x > right) return;
        c.strokeStyle = MARK[m.kind]; c.fillStyle = MARK[m.kind]; c.lineWidth = dpr;
        c.setLineDash(m.kind === 'run' ? [2 * dpr, 4 * dpr] : [6 * dpr, 3 * dpr]);
        c.beginPath(); c.moveTo(x, top); c.lineTo(x, top + h); c.stroke();
        var w = c.measureText(m.label).width, tx = x + 3 * dpr;
        if (tx + w > right) tx = x - 3 * dpr - w;
        c.fillText(m.label, tx, top + (12 + (i % 5) * 13) * dpr);
      });
      c.restore();
    }] } };
  }
  var made = [];
  charts.forEach(function (ch) {
    var el = document.querySelector('[data-chart="' + ch.id + '"]');
    if (!el || ch.data.length === 0) return;
    var opts = {
      width: Math.max(480, el.clientWidth), height: 260,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      scales: { x: { time: true } },
      series: [{ label: 'time (UTC)' }].concat(ch.series.map(function (s) {
        return { label: s.label, stroke: s.stroke, width: 1.5, dash: s.dash || undefined, spanGaps: false,
                 value: function (u, v) { return fmt(ch.unit, v); } };
      })),
      axes: [{}, { label: ch.unit, size: 60, values: function (u, vals) { return vals.map(function (v) { return ch.unit === 'ratio' ? (v * 100) + ' %' : v; }); } }],
      plugins: [markers(ch.markers)]
    };
    made.push(new uPlot(opts, ch.data, el));
  });
  window.addEventListener('resize', function () {
    made.forEach(function (u) { u.setSize({ width: Math.max(480, u.root.parentElement.clientWidth), height: 260 }); });
  });
  window.__reportCharts = made;
})();
`;
