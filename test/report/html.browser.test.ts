import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/report/html.ts';
import { makePlan, makeSeries, makeVerdict } from '../fixtures/report/synthetic.ts';
import { checkReportInBrowser, requireChromium } from './browser-check.ts';

const SCREENSHOT = fileURLToPath(new URL('../../reports/runs/_screenshots/report.png', import.meta.url));

describe('report.html in Chromium', () => {
  it('draws every chart from disk with no errors and no network', async () => {
    requireChromium();
    const dir = await mkdtemp(join(tmpdir(), 'report-html-'));
    try {
      const file = await writeHtmlReport(dir, makePlan(), makeVerdict(), makeSeries());
      const check = await checkReportInBrowser(file, SCREENSHOT);
      expect(check.pageErrors).toEqual([]);
      expect(check.consoleErrors).toEqual([]);
      expect(check.networkRequests).toEqual([]);
      expect(check.declared).toEqual(['rate', 'latency', 'server-latency', 'replicas', 'cpu', 'queues', 'errors']);
      expect(check.charts.map((c) => c.id)).toEqual(check.declared);
      for (const c of check.charts) {
        expect(c.width, c.id).toBeGreaterThan(400);
        expect(c.painted, c.id).toBeGreaterThan(1000);
        expect(c.data, `${c.id}: plotted pixels`).toBeGreaterThan(500);
      }
      expect((await stat(SCREENSHOT)).size).toBeGreaterThan(10_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
