/**
 * Opens a report.html from disk in headless Chromium (Debian's package, driven by
 * playwright-core) and reports what a reader would see broken: console errors, page errors,
 * network requests, and per chart whether its canvas has pixels and how many of them are data
 * (pixels that change when the chart's series are hidden). Shared by the unit test on a fixture
 * and by integration tests on a real run's report.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChartCheck {
  id: string;
  /** Canvas size, device pixels. */
  width: number;
  height: number;
  /** Pixels with any paint (axes, grid, markers, lines). */
  painted: number;
  /** Pixels that change when every series is hidden: the plotted data. */
  data: number;
}

export interface BrowserCheck {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests that did not go to a file: URL (a self-contained report makes none). */
  networkRequests: string[];
  /** Chart ids the page declares, whether or not they were drawn. */
  declared: string[];
  charts: ChartCheck[];
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error("install Debian's chromium: apt-get install -y chromium");
}

/** Renders `htmlFile` from file://, checks every chart and writes a full-page PNG to `screenshotFile`. */
export async function checkReportInBrowser(htmlFile: string, screenshotFile: string): Promise<BrowserCheck> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const result: BrowserCheck = { consoleErrors: [], pageErrors: [], networkRequests: [], declared: [], charts: [] };
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') result.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => result.pageErrors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) result.networkRequests.push(r.url());
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    result.declared = await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart') ?? ''));
    result.charts = await page.evaluate(async () => {
      // The slice of uPlot this check uses (the Node-side tsconfig has no DOM types).
      type U = {
        root: { parentElement: { getAttribute(name: string): string | null } | null };
        series: unknown[];
        ctx: { canvas: { width: number; height: number }; getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
        setSeries(i: number, o: { show: boolean }): void;
      };
      const charts = (globalThis as unknown as { __reportCharts?: U[] }).__reportCharts ?? [];
      const settle = () => new Promise((r) => setTimeout(r, 50));
      const pixels = (u: U) => u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height).data;
      const out: Array<{ id: string; width: number; height: number; painted: number; data: number }> = [];
      for (const u of charts) {
        const shown = pixels(u);
        for (let i = 1; i < u.series.length; i++) u.setSeries(i, { show: false });
        await settle();
        const hidden = pixels(u);
        for (let i = 1; i < u.series.length; i++) u.setSeries(i, { show: true });
        await settle();
        let painted = 0;
        let data = 0;
        for (let p = 0; p < shown.length; p += 4) {
          if ((shown[p + 3] ?? 0) > 0) painted++;
          if (shown[p] !== hidden[p] || shown[p + 1] !== hidden[p + 1] || shown[p + 2] !== hidden[p + 2] || shown[p + 3] !== hidden[p + 3]) data++;
        }
        const id = u.root.parentElement?.getAttribute('data-chart') ?? '';
        out.push({ id, width: u.ctx.canvas.width, height: u.ctx.canvas.height, painted, data });
      }
      return out;
    });
    await mkdir(dirname(screenshotFile), { recursive: true });
    await page.screenshot({ path: screenshotFile, fullPage: true });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  return result;
}
