/**
 * The self-test's reports: `selftest.md` (the confusion matrix, per kind, then one line per
 * case), `junit.xml` (one test case per matrix case: a miss, a wrong detection or a false alarm
 * is a <failure>, an inconclusive case an <error>, never <skipped>) and `selftest.json`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import junitModule from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import { writeFileAtomic } from '../report/run-folder.ts';
import { FAILING_CELLS, type Cell } from './classify.ts';
import type { CaseResult, SelftestResult } from './index.ts';

// Node loads the package's CommonJS build, whose module.exports is the builder itself.
const rootBuilder = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

const LABEL: Record<Cell, string> = {
  detected: 'detected (right row and outcome)',
  wrong: 'detected wrongly',
  missed: 'missed',
  passed: 'clean, passed',
  'false-alarm': 'false alarm',
  inconclusive: 'inconclusive (harness trouble)',
};

const expected = (c: CaseResult): string => (c.case.expect === 'pass' ? 'pass' : `${c.case.expect.row} ${c.case.expect.outcome}`);
const flags = (c: CaseResult): string => [...c.faults.map((f) => `--fault ${f}`), ...(c.case.noAutoscale ? ['--no-autoscale'] : []), ...c.case.args].join(' ') || '(clean)';
const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The confusion matrix: fault cases by detection, clean cases by alarm. */
export function confusionTable(r: Pick<SelftestResult, 'cases'>): string[] {
  const faulty = r.cases.filter((c) => c.case.expect !== 'pass');
  const clean = r.cases.filter((c) => c.case.expect === 'pass');
  const n = (cases: CaseResult[], cell: Cell): number => cases.filter((c) => c.cell === cell).length;
  const kinds = [...new Set(r.cases.map((c) => c.case.kind))];
  const lines = [
    '| cases | detected (right row and outcome) | detected wrongly | missed | inconclusive |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...kinds
      .map((k) => faulty.filter((c) => c.case.kind === k))
      .filter((cs) => cs.length > 0)
      .map((cs) => `| ${cs[0]!.case.kind} faults (${cs.length}) | ${n(cs, 'detected')} | ${n(cs, 'wrong')} | ${n(cs, 'missed')} | ${n(cs, 'inconclusive')} |`),
    `| **all fault cases (${faulty.length})** | **${n(faulty, 'detected')}** | **${n(faulty, 'wrong')}** | **${n(faulty, 'missed')}** | **${n(faulty, 'inconclusive')}** |`,
    '',
    '| cases | passed | false alarm | inconclusive |',
    '| --- | ---: | ---: | ---: |',
    `| **clean runs and faults within tolerance (${clean.length})** | **${n(clean, 'passed')}** | **${n(clean, 'false-alarm')}** | **${n(clean, 'inconclusive')}** |`,
  ];
  return lines;
}

export function renderSelftestMarkdown(r: SelftestResult): string {
  const wall = r.endedAt - r.startedAt;
  const lines = [
    `# scale-harness selftest: ${r.status.toUpperCase()}`,
    '',
    `Matrix ${r.matrix}: ${r.cases.length} cases run${r.notRun.length ? `, ${r.notRun.length} not run (${r.interrupted ? 'interrupted' : 'stopped'}: ${r.notRun.join(', ')})` : ''}, ` +
      `${(wall / 60).toFixed(1)} min of wall clock, one quick run each, one after another.`,
    '',
    ...confusionTable(r),
    '',
    '## Cases',
    '',
    '| case | kind | profile | injected | expected | observed | result | wall s | run folder |',
    '| --- | --- | --- | --- | --- | --- | --- | ---: | --- |',
    ...r.cases.map((c) =>
      [
        c.case.id,
        c.case.kind,
        c.case.profile,
        flags(c),
        expected(c),
        c.observed,
        `${FAILING_CELLS.has(c.cell) ? '**' : ''}${LABEL[c.cell]}${FAILING_CELLS.has(c.cell) ? '**' : ''}`,
        c.run ? c.run.wallSeconds.toFixed(0) : '',
        c.run?.runDir ? path.relative(r.dir, c.run.runDir) : '',
      ]
        .map(cellText)
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
    ...r.cases.filter((c) => c.cell !== 'detected' && c.cell !== 'passed').map((c) => `- ${c.case.id}: ${LABEL[c.cell]}: ${cellText(c.detail)}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderSelftestJunit(r: SelftestResult): string {
  const b = rootBuilder.newBuilder().name('scale-harness selftest');
  const suite = b
    .testSuite()
    .name('selftest')
    .timestamp(new Date(r.startedAt * 1000))
    .time(Math.max(0, r.endedAt - r.startedAt))
    .property('matrix', r.matrix)
    .property('status', r.status);
  for (const c of r.cases) {
    const message = `expected ${expected(c)}; observed ${c.observed}; ${LABEL[c.cell]}${c.detail ? `: ${c.detail}` : ''}`;
    const tc = suite.testCase().className(`selftest.${c.case.kind}`).name(c.case.id).time(c.run?.wallSeconds ?? 0);
    if (FAILING_CELLS.has(c.cell)) tc.failure(message, c.cell);
    else if (c.cell === 'inconclusive') tc.error(message, 'inconclusive');
    tc.standardOutput(`${flags(c)}\n${message}`);
  }
  for (const id of r.notRun) suite.testCase().className('selftest').name(id).error('not run: the self-test was interrupted', 'inconclusive');
  return b.build();
}

/** Writes the three files into the self-test's folder; returns their paths. */
export async function writeSelftestReports(r: SelftestResult): Promise<string[]> {
  const json = {
    matrix: r.matrix,
    status: r.status,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    wallSeconds: Math.round(r.endedAt - r.startedAt),
    counts: r.counts,
    notRun: r.notRun,
    interrupted: r.interrupted,
    cases: r.cases.map((c) => ({
      id: c.case.id,
      kind: c.case.kind,
      profile: c.case.profile,
      faults: c.faults,
      noAutoscale: c.case.noAutoscale,
      args: c.case.args,
      expect: c.case.expect,
      why: c.case.why,
      cell: c.cell,
      observed: c.observed,
      detail: c.detail,
      exitCode: c.run?.exitCode ?? null,
      wallSeconds: c.run ? Math.round(c.run.wallSeconds) : null,
      runDir: c.run?.runDir ? path.relative(r.dir, c.run.runDir) : null,
      log: c.run ? path.relative(r.dir, c.run.log) : null,
    })),
  };
  const files: Array<[string, string]> = [
    ['selftest.md', renderSelftestMarkdown(r)],
    ['junit.xml', renderSelftestJunit(r)],
    ['selftest.json', `${JSON.stringify(json, null, 2)}\n`],
  ];
  await mkdir(r.dir, { recursive: true });
  for (const [name, text] of files) await writeFileAtomic(path.join(r.dir, name), text);
  return files.map(([name]) => path.join(r.dir, name));
}
