/**
 * `selftest`: the harness proves its detection power on the machine it runs on. Every case of
 * the matrix (matrix.ts, or a file) is checked first (profile, faults), then run one after
 * another as a normal quick run in its own process, classified against its expectation
 * (classify.ts), and the confusion matrix is written (report.ts). Library code: it returns the
 * result; the CLI picks the exit code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, parseInput } from '../errors.ts';
import { importDefault, projectPath } from '../plan/files.ts';
import { loadProfile } from '../plan/load.ts';
import { newRunId } from '../run/run-id.ts';
import { checkFaults, faultTargets, parseFault } from '../stack/faults.ts';
import { PROJECT_ROOT } from '../util/paths.ts';
import { classify, FAILING_CELLS, type Cell, type Classified } from './classify.ts';
import { MATRIX, MatrixSchema, type SelftestCase } from './matrix.ts';
import { writeSelftestReports } from './report.ts';
import { resolveFaults, runCase, type CaseRun } from './run-case.ts';

export interface SelftestOptions {
  /** The reduced matrix. */
  quick?: boolean;
  /** A matrix file (.json, or a .ts module whose default export is the cases) instead of the built-in one. */
  matrixFile?: string;
  /** Only these case ids. */
  only?: string[];
  /** Output folder. @default reports/selftest-<ts> */
  outDir?: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export interface CaseResult extends Classified {
  case: SelftestCase;
  /** The `--fault` texts as run (graces turned into seconds). */
  faults: string[];
  run: CaseRun | null;
}

export interface SelftestResult {
  matrix: string;
  dir: string;
  startedAt: number;
  endedAt: number;
  cases: CaseResult[];
  counts: Record<Cell, number>;
  /** Cases not run because the self-test was interrupted. */
  notRun: string[];
  interrupted: boolean;
  /** fail: a miss, a wrong detection or a false alarm; inconclusive: a case the harness could not judge. */
  status: 'pass' | 'fail' | 'inconclusive';
  files: string[];
}

/** Reads and validates a matrix file; one input-error line naming the file, key and value. */
export async function loadMatrix(file: string): Promise<SelftestCase[]> {
  const abs = path.resolve(file);
  const data = abs.endsWith('.json')
    ? await readFile(abs, 'utf8').then(
        (t) => JSON.parse(t) as unknown,
        (err: NodeJS.ErrnoException) => {
          throw new InputError(`--matrix: cannot read ${file}: ${err.code ?? err.message}`);
        },
      )
    : await importDefault(abs);
  return parseInput(MatrixSchema, data, projectPath(abs));
}

/** The cases to run: the matrix (or file), reduced by `quick` and `only`. */
export async function selectCases(opts: Pick<SelftestOptions, 'quick' | 'matrixFile' | 'only'>): Promise<SelftestCase[]> {
  const all = opts.matrixFile ? await loadMatrix(opts.matrixFile) : MATRIX;
  const unknown = (opts.only ?? []).filter((id) => !all.some((c) => c.id === id));
  if (unknown.length) throw new InputError(`--only: no case ${JSON.stringify(unknown[0])}; cases: ${all.map((c) => c.id).join(', ')}`);
  return all.filter((c) => (opts.only?.length ? opts.only.includes(c.id) : !opts.quick || c.quick));
}

/** Every case's profile loads and its faults name things the profile's stack has, before anything runs. */
async function checkCases(cases: SelftestCase[]): Promise<void> {
  for (const c of cases) {
    const loaded = await loadProfile(c.profile).catch((err: Error) => {
      throw new InputError(`selftest case ${c.id}: ${err.message}`);
    });
    const where = `selftest case ${c.id}`;
    const parsed = c.faults.map((f) => {
      try {
        return parseFault(f.replace(/^late:([^:]+):(\d+(?:\.\d+)?)xgrace$/, 'late:$1:$2'));
      } catch (err) {
        throw new InputError(`${where}: ${(err as Error).message}`);
      }
    });
    checkFaults(parsed, faultTargets(loaded.stack, loaded.profile.cohorts), where);
  }
}

function countCells(cases: CaseResult[]): Record<Cell, number> {
  const counts: Record<Cell, number> = { detected: 0, wrong: 0, missed: 0, passed: 0, 'false-alarm': 0, inconclusive: 0 };
  for (const c of cases) counts[c.cell]++;
  return counts;
}

export async function runSelftest(opts: SelftestOptions): Promise<SelftestResult> {
  const cases = await selectCases(opts);
  await checkCases(cases);
  const dir = opts.outDir ? path.resolve(opts.outDir) : path.join(PROJECT_ROOT, 'reports', newRunId('selftest'));
  const matrix = opts.matrixFile ? projectPath(path.resolve(opts.matrixFile)) : opts.quick ? 'built-in (quick)' : 'built-in (full)';
  const startedAt = Date.now() / 1000;
  opts.log(`selftest: ${cases.length} cases (${matrix}), one quick run each, into ${path.relative(process.cwd(), dir) || dir}`);
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    if (opts.signal?.aborted) break;
    const faults = await resolveFaults(c);
    const flags = [...faults.map((f) => `--fault ${f}`), ...(c.noAutoscale ? ['--no-autoscale'] : []), ...c.args].join(' ') || 'no fault';
    opts.log(`selftest ${i + 1}/${cases.length}: ${c.id} (${c.profile}, ${flags})`);
    const run = await runCase(c, faults, dir, opts.signal);
    if (opts.signal?.aborted && run.verdict?.interrupted !== false) break;
    const result: CaseResult = { case: c, faults, run, ...classify(c.expect, run) };
    opts.log(`selftest ${i + 1}/${cases.length}: ${c.id}: ${result.cell} (${result.observed}; ${run.wallSeconds.toFixed(0)} s)`);
    results.push(result);
  }
  const notRun = cases.filter((c) => !results.some((r) => r.case.id === c.id)).map((c) => c.id);
  const counts = countCells(results);
  const interrupted = opts.signal?.aborted === true;
  const failing = results.some((r) => FAILING_CELLS.has(r.cell));
  const status = failing ? 'fail' : counts.inconclusive > 0 || notRun.length > 0 ? 'inconclusive' : 'pass';
  const result: SelftestResult = { matrix, dir, startedAt, endedAt: Date.now() / 1000, cases: results, counts, notRun, interrupted, status, files: [] };
  result.files = await writeSelftestReports(result);
  return result;
}
