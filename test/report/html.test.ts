import { describe, expect, it } from 'vitest';
import { esc, renderHtml } from '../../src/report/html.ts';
import { makePlan, makeSeries, makeVerdict } from '../fixtures/report/synthetic.ts';

const EVIL = '<img src=x onerror=alert(1)>"\'&';

describe('esc', () => {
  it('escapes the five HTML-special characters and prints nothing for null', () => {
    expect(esc(EVIL)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(esc(null)).toBe('');
    expect(esc(12.5)).toBe('12.5');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(makePlan(), makeVerdict(), makeSeries());

  it('is self-contained: no external scripts, styles or images', () => {
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('uPlot');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('has the header, the tables and every chart with its data', () => {
    expect(html).toContain('class="badge fail">FAIL</span>');
    for (const id of ['login-p95', 'checkout-p95', 'rural-p99', 'auth-cpu', 'payments-queue', 'scaled-late', 'database-cpu', 'credit decision queueing']) {
      expect(html).toContain(id);
    }
    for (const chart of ['rate', 'latency', 'server-latency', 'replicas', 'cpu', 'queues', 'errors']) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
    const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const charts = JSON.parse(json) as Array<{ id: string; data: number[][]; series: Array<{ label: string }>; markers: unknown[] }>;
    const replicas = charts.find((c) => c.id === 'replicas');
    expect(replicas?.series.map((s) => s.label)).toContain('available auth');
    expect(replicas?.markers.length).toBeGreaterThanOrEqual(4);
    expect(replicas?.data[0]?.length).toBe(321);
    expect(html).toContain('peakTps'); // plan inputs
    expect(html).toContain('Timket (2027-01-19)');
  });

  it('escapes names from plans and verdicts, in tables and in the inline data', () => {
    const verdict = makeVerdict({ profile: EVIL, reasons: [EVIL] });
    verdict.slos[0] = { ...verdict.slos[0]!, id: EVIL, detail: '</script><script>alert(2)</script>' };
    const series = makeSeries();
    series.series[0] = { ...series.series[0]!, title: '</script><script>alert(3)</script>' };
    const out = renderHtml(makePlan({ inputs: { [EVIL]: EVIL } }), verdict, series);
    expect(out).not.toContain('<img src=x');
    expect(out).not.toContain('<script>alert');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(out.match(/<\/script>/g)).toHaveLength(3);
  });

  it('renders without series, noting no data', () => {
    const v = makeVerdict();
    const out = renderHtml(makePlan(), v, { start: v.startedAt, end: v.endedAt, step: 1, series: [], markers: [], errors: [{ family: 'cpu_percent', expr: 'x', message: 'timeout' }] });
    expect(out).not.toContain('<div class="chart"');
    expect(out).toContain('query failed: cpu_percent: timeout');
  });
});
