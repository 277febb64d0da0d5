/** The run's Grafana dashboard link in summary.md and report.html, when the run provisioned one. */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { makePlan, makeSeries, makeVerdict } from '../fixtures/report/synthetic.ts';

const URL_ = 'http://localhost:32768/d/scale-harness-overview?orgId=1&from=1&to=2&var-testid=r1';

describe('dashboard link in the reports', () => {
  it('summary.md has one Grafana line with the URL', () => {
    const md = renderMarkdown([{ plan: makePlan(), verdict: { ...makeVerdict(), dashboardUrl: URL_ } }]);
    expect(md.split('\n').filter((l) => l.startsWith('Grafana: '))).toEqual([`Grafana: ${URL_}`]);
    expect(renderMarkdown([{ plan: makePlan(), verdict: makeVerdict() }])).not.toContain('Grafana: ');
  });

  it('report.html links the dashboard in its header', () => {
    const html = renderHtml(makePlan(), { ...makeVerdict(), dashboardUrl: URL_ }, makeSeries());
    expect(html).toContain('<dt>grafana</dt><dd><a href="http://localhost:32768/d/scale-harness-overview?orgId=1&amp;from=1&amp;to=2&amp;var-testid=r1">run dashboard</a></dd>');
    expect(renderHtml(makePlan(), makeVerdict(), makeSeries())).not.toContain('<dt>grafana</dt>');
  });
});
