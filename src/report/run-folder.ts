/**
 * The files of a run folder (reports/runs/<runId>/) that reporters read and write.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { access, constants, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Verdict } from '../controller/types.ts';
import { InputError } from '../errors.ts';
import type { Plan } from '../plan/types.ts';
import type { RunSeries } from './series.ts';

export const RUN_FILES = {
  plan: 'plan.json',
  verdict: 'verdict.json',
  series: 'series.json',
  k6Summary: 'summary.json',
  html: 'report.html',
  junit: 'junit.xml',
  markdown: 'summary.md',
} as const;

/**
 * Writes `data` to a temporary name next to `file` and renames it into place: a crash or a
 * forced stop leaves the old file or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** The synchronous twin of writeFileAtomic, for exit paths that cannot wait. */
export function writeFileAtomicSync(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Writes `value` as pretty JSON to `<runDir>/<name>` (atomically) and returns the path. */
export async function writeJson(runDir: string, name: string, value: unknown): Promise<string> {
  const file = join(runDir, name);
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/**
 * Checks that run folders can be made under `dir` before anything starts; throws an InputError
 * that says what is wrong (a read-only reports/ otherwise surfaces as a bare ENOENT or EACCES).
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const rel = relative(process.cwd(), dir);
  const shown = rel && !rel.startsWith('..') ? rel : dir;
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`${shown}: run folders cannot be written there (${code}); make it writable, or run from a writable checkout`);
  }
}

/** Reads a JSON file of a run folder: null when missing, an InputError naming the file when malformed. */
export async function readJson<T>(runDir: string, name: string): Promise<T | null> {
  const file = join(runDir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Loads what the reporters need to re-render a finished run (plan and verdict are required). */
export async function readRunFolder(runDir: string): Promise<{ plan: Plan; verdict: Verdict; series: RunSeries | null }> {
  const plan = await readJson<Plan>(runDir, RUN_FILES.plan);
  const verdict = await readJson<Verdict>(runDir, RUN_FILES.verdict);
  if (!plan) throw new InputError(`${join(runDir, RUN_FILES.plan)}: missing; is this a run folder?`);
  if (!verdict) throw new InputError(`${join(runDir, RUN_FILES.verdict)}: missing; the run has no verdict yet`);
  return { plan, verdict, series: await readJson<RunSeries>(runDir, RUN_FILES.series) };
}
