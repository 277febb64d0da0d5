/**
 * Reporters behind one small interface, so the CLI writes every report of a run with one call
 * and imports none of them. The built-in ones are listed in BUILTIN_REPORTERS; add more with
 * registerReporter. One reporter failing never stops the others from writing.
 */
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { RUN_FILES, writeFileAtomic, writeJson } from './run-folder.ts';
import type { RunSeries } from './series.ts';
import type { ReportContext } from './types.ts';

export interface Reporter {
  /** Unique, e.g. `html`. */
  name: string;
  /** Writes its files into `runDir` and returns their paths. */
  write(runDir: string, ctx: ReportContext): Promise<string[]>;
}

async function writeText(runDir: string, name: string, text: string): Promise<string[]> {
  const file = join(runDir, name);
  await writeFileAtomic(file, text);
  return [file];
}

/** Stands in for series that were never collected, so the HTML still has its tables. */
function noSeries(ctx: ReportContext): RunSeries {
  const { startedAt: start, endedAt: end } = ctx.verdict;
  return { start, end, step: 1, series: [], markers: [], errors: [] };
}

export const BUILTIN_REPORTERS: readonly Reporter[] = [
  { name: 'verdict', write: async (dir, ctx) => [await writeJson(dir, RUN_FILES.verdict, ctx.verdict)] },
  { name: 'series', write: async (dir, ctx) => (ctx.series ? [await writeJson(dir, RUN_FILES.series, ctx.series)] : []) },
  { name: 'junit', write: (dir, ctx) => writeText(dir, RUN_FILES.junit, renderJunit([ctx])) },
  { name: 'markdown', write: (dir, ctx) => writeText(dir, RUN_FILES.markdown, renderMarkdown([ctx])) },
  { name: 'html', write: (dir, ctx) => writeText(dir, RUN_FILES.html, renderHtml(ctx.plan, ctx.verdict, ctx.series ?? noSeries(ctx))) },
];

const registry = new Map<string, Reporter>(BUILTIN_REPORTERS.map((r) => [r.name, r]));

/** Adds a reporter; a name already taken is a programming error. */
export function registerReporter(reporter: Reporter): void {
  if (registry.has(reporter.name)) throw new Error(`a reporter named ${JSON.stringify(reporter.name)} is already registered`);
  registry.set(reporter.name, reporter);
}

export function listReporters(): Reporter[] {
  return [...registry.values()];
}

export interface ReportOutcome {
  files: string[];
  errors: Array<{ reporter: string; message: string }>;
}

/**
 * Runs every registered reporter (or those named in `only`, in registry order).
 * @returns files written and, per failed reporter, its error message
 */
export async function writeReports(runDir: string, ctx: ReportContext, only?: string[]): Promise<ReportOutcome> {
  const unknown = (only ?? []).filter((n) => !registry.has(n));
  const outcome: ReportOutcome = { files: [], errors: unknown.map((n) => ({ reporter: n, message: 'no such reporter' })) };
  for (const r of listReporters()) {
    if (only && !only.includes(r.name)) continue;
    try {
      outcome.files.push(...(await r.write(runDir, ctx)));
    } catch (err) {
      outcome.errors.push({ reporter: r.name, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcome;
}
