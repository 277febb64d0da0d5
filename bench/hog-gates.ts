/**
 * `npx tsx bench/hog-gates.ts [--count 10] [--duty 0.5]` (under /work/heavy on a shared machine):
 * the nightly gate under a CPU hog. A child process busy-loops `duty` of every 100 ms (half a
 * core at 0.5) for as long as the gates run, bounded by --max-minutes; `npm run gate` runs
 * `count` times in a row. Acceptance: no `fail`, at most one `inconclusive`, and that one names
 * the starved side. Writes bench/results/hog-gates.md (and prints it).
 *
 * Exit codes: 0 measured and acceptable, 1 a gate failed or more than one was inconclusive,
 * 2 bad flags.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Verdict } from '../src/controller/types.ts';
import { PROJECT_ROOT } from '../src/util/paths.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10' }, duty: { type: 'string', default: '0.5' }, 'max-minutes': { type: 'string', default: '90' } } });
const count = Number(values.count);
const duty = Number(values.duty);
const maxMinutes = Number(values['max-minutes']);
const bad = !Number.isInteger(count) || count < 1 || count > 50 ? `--count: a whole number 1..50 (got ${values.count})` : !(duty > 0 && duty < 1) ? `--duty: a share of a core between 0 and 1 (got ${values.duty})` : !(maxMinutes > 0 && maxMinutes <= 600) ? `--max-minutes: 1..600 (got ${values['max-minutes']})` : null;
if (bad) {
  process.stderr.write(`hog-gates: ${bad}\n`);
  process.exit(2);
}

/** Busy `duty` of every 100 ms, exits by itself after `seconds` (a bounded loop). */
function startHog(seconds: number): ReturnType<typeof spawn> {
  const code = `const end=Date.now()+${seconds * 1000};(function tick(){const t=Date.now();if(t>end)process.exit(0);while(Date.now()-t<${100 * duty});setTimeout(tick,${100 * (1 - duty)});})();`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

interface GateRun {
  n: number;
  exitCode: number | null;
  seconds: number;
  /** Baseline comparisons that did not pass (they count in the gate's exit code too). */
  baselines: string[];
  runs: Array<{ profile: string; status: string; reasons: string[]; health: string }>;
}

function runGate(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'gate'], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

async function verdictsOf(stdout: string): Promise<GateRun['runs']> {
  const junit = /JUnit (\S+)\)/.exec(stdout)?.[1];
  if (!junit) return [];
  const dir = path.dirname(path.resolve(PROJECT_ROOT, junit));
  const out: GateRun['runs'] = [];
  for (const name of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    try {
      const v = JSON.parse(await readFile(path.join(dir, name, 'verdict.json'), 'utf8')) as Verdict;
      out.push({ profile: v.profile, status: v.status, reasons: v.reasons, health: v.health?.summary ?? 'no health recorded' });
    } catch {
      out.push({ profile: name, status: 'no verdict', reasons: [], health: '' });
    }
  }
  return out;
}

const hog = startHog(maxMinutes * 60);
const gates: GateRun[] = [];
const began = Date.now();
try {
  for (let n = 1; n <= count && Date.now() - began < maxMinutes * 60_000; n++) {
    const t = Date.now();
    const { code, stdout } = await runGate();
    const baselines = stdout.split('\n').filter((l) => /^Baseline .*: (INCONCLUSIVE|FAIL)/.test(l));
    gates.push({ n, exitCode: code, seconds: Math.round((Date.now() - t) / 1000), baselines, runs: await verdictsOf(stdout) });
    process.stderr.write(`hog-gates: gate ${n}/${count}: exit ${code}\n`);
  }
} finally {
  hog.kill('SIGKILL');
}

const runs = gates.flatMap((g) => g.runs);
const fails = runs.filter((r) => r.status === 'fail').length;
const inconclusive = runs.filter((r) => r.status !== 'pass' && r.status !== 'fail');
const gateFails = gates.filter((g) => g.exitCode === 1).length;
const gateInconclusive = gates.filter((g) => g.exitCode !== 0 && g.exitCode !== 1);
const lines = [
  `# The gate under a CPU hog (${duty} of a core)`,
  '',
  `${gates.length} of ${count} gates in ${Math.round((Date.now() - began) / 60_000)} min: ${gateFails} exit 1, ${gateInconclusive.length} exit 3 or other. ${runs.length} run verdicts: ${fails} fail, ${inconclusive.length} inconclusive. Acceptance: no fail, at most one inconclusive naming the starved side.`,
  '',
  ...gates.flatMap((g) => g.baselines.map((b) => `- gate ${g.n}: ${b}`)),
  '',
  '| gate | exit | s | run | status | harness health | first reason |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...gates.flatMap((g) => g.runs.map((r) => `| ${g.n} | ${g.exitCode} | ${g.seconds} | ${r.profile} | ${r.status} | ${r.health} | ${(r.reasons[0] ?? '').replace(/\|/g, '/')} |`)),
  '',
];
await mkdir(path.join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(path.join(PROJECT_ROOT, 'bench', 'results', 'hog-gates.md'), lines.join('\n'));
process.stdout.write(lines.join('\n'));
process.exitCode = fails === 0 && gateFails === 0 && gateInconclusive.length <= 1 ? 0 : 1;
