/**
 * The input a hostile but fair new user tries (issue cases 2-8): each gets its exit code and
 * one line naming the flag or file and the value, and nothing is started or left behind (no
 * child process, no run folder, no lock). Case 1 (Ctrl-C) is test/util/process.test.ts and
 * test/integration/interrupt.test.ts.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { onChildrenChange } from '../../src/util/process.ts';
import { PROJECT_ROOT, RUNS_DIR } from '../../src/util/paths.ts';

/** The run folders there are (none in a fresh clone, where reports/runs does not exist yet). */
const runFolders = (): string[] => (existsSync(RUNS_DIR) ? readdirSync(RUNS_DIR).sort() : []);

const execFileP = promisify(execFile);
const lockDir = mkdtempSync(path.join(os.tmpdir(), 'hostile-lock-'));
const savedLock = process.env.SCALE_HARNESS_LOCK_DIR;
let redirector: http.Server;
let redirectUrl = '';
let spawned: string[] = [];
const stopWatching = onChildrenChange((c) => spawned.push(...c.map((x) => x.name)));

beforeAll(async () => {
  process.env.SCALE_HARNESS_LOCK_DIR = lockDir;
  redirector = http.createServer((_req, res) => {
    res.writeHead(302, { location: 'http://10.255.255.1/' });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stopWatching();
  rmSync(lockDir, { recursive: true, force: true });
  if (savedLock === undefined) delete process.env.SCALE_HARNESS_LOCK_DIR;
  else process.env.SCALE_HARNESS_LOCK_DIR = savedLock;
  await new Promise((r) => redirector.close(r));
});

/** Runs main() in-process; asserts nothing was started or left behind. */
async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const before = runFolders();
  spawned = [];
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  expect(spawned).toEqual([]);
  expect(runFolders()).toEqual(before);
  expect(readdirSync(lockDir)).toEqual([]);
  return { code, out, err };
}

describe('hostile input, one line each, nothing started', () => {
  it('case 2: --parallel is bounded by the cores and memory of this machine, and says so', async () => {
    const r = await cli(['run', 'spike', '--quick', '--parallel', '1000']);
    expect(r.code).toBe(2);
    const max = Math.max(1, Math.min(os.availableParallelism(), Math.floor(os.freemem() / 2 ** 29)));
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      new RegExp(`^scale-harness: --parallel: must be a whole number of at least 1 and at most ${max} \\(this machine has ${os.availableParallelism()} cores and [\\d.]+ GiB free memory: one k6 per core, 512 MiB each\\) \\(got "1000"\\)$`),
    );
  });

  it('case 3: a target that redirects to a refused host is refused before anything connects there', async () => {
    const r = await cli(['run', 'spike', '--quick', '--target', redirectUrl, '--prometheus', redirectUrl]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`scale-harness: --target: ${redirectUrl} redirects to http://10.255.255.1/: host "10.255.255.1" is not on the allow-list (127.0.0.0/8, ::1, localhost); not followed`]);
  });

  it('case 4: --help on every command prints its flags and exits 0', async () => {
    for (const argv of [['run', 'spike', '--help'], ['run', 'spike', '--quick', '-h'], ['gate', '--help'], ['signoff', '--help'], ['plan', '--help'], ['dashboards', '--help'], ['stack', '--help'], ['setup', '--help']]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.out.join('\n')).toContain(`usage: scale-harness ${argv[0]}`);
      expect(r.out.join('\n')).toContain('--help');
    }
    const r = await cli(['run', 'spike', '--help']);
    expect(r.out.join('\n')).toMatch(/--parallel N +k6 processes/);
  });

  it('case 5: --capacity is checked against its own list', async () => {
    for (const bad of ['toString', '__proto__', 'constructor']) {
      const r = await cli(['signoff', '--capacity', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([`scale-harness: --capacity: must be one of current, seasonal, future (got "${bad}")`]);
    }
  });

  it('case 6: a profile whose top-level await never settles fails with one line, exit 2', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hang-'));
    const file = path.join(dir, 'hang.mjs');
    writeFileSync(file, 'await new Promise(() => {});\nexport default {};\n');
    const r = await execFileP(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', file], { cwd: PROJECT_ROOT, env: { ...process.env }, timeout: 30_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`scale-harness: ${file}: (root): did not finish loading within 10 s (a top-level await that never settles?)`);
  }, 40_000);

  it('case 7: a malformed or unknown --fault is exit 2 before any folder exists', async () => {
    const cases: Array<[string, string]> = [
      ['bogus', 'must look like ignore:<trigger>, late:<trigger>:<seconds>, short:<trigger>:<count>, flap:<trigger>, slow:<route>:<ms>, errors:<journey>:<ratio>, leak:<service>:<MiB per min> or proxy-down:<cohort> (got "bogus")'],
      ['boom:auth-cpu', 'unknown kind "boom": use ignore, late, short, flap, slow, errors, leak or proxy-down (got "boom:auth-cpu")'],
      ['slow:/auth/nope:800', 'no single route "/auth/nope" (known: POST /auth/login, POST /auth/token, GET /marketplace/search, POST /payments/credit-decision, POST /payments/checkout, GET /rewards/balance) in the meqenet stack (got "slow:/auth/nope:800")'],
      ['proxy-down:edge-2g', 'no shaped cohort "edge-2g" (known: none) in the meqenet stack (got "proxy-down:edge-2g")'],
      ['late:auth-cpu:0', 'late needs a delay in seconds, more than 0 (got "late:auth-cpu:0")'],
      ['ignore:nope', 'no trigger "nope" (known: auth-cpu, auth-latency, payments-queue, payments-credit-latency, marketplace-search-latency, database-cpu, eventbus-lag) in the meqenet stack (got "ignore:nope")'],
    ];
    for (const [fault, msg] of cases) {
      for (const cmd of [['run', 'spike', '--quick'], ['gate', '--only', 'spike']]) {
        const r = await cli([...cmd, '--fault', fault]);
        expect(r.code).toBe(2);
        expect(r.err).toEqual([`scale-harness: --fault: ${msg}`]);
      }
    }
  });

  it('case 8: values with a dash, out-of-bound scales and durations name the value and the bound', async () => {
    const cases: Array<[string[], string]> = [
      [['--scale', '-1'], '--scale: must be a number above 0 and at most 10 (got "-1")'],
      [['--time-scale', '1e9'], '--time-scale: must be a number above 0 and at most 1000 (got "1e9")'],
      [['--time-scale', '900'], "--time-scale: at most 720 for spike: trigger auth-latency's 180 s window must span at least one scrape (got 900)"],
      [['--duration', '271560h'], '--duration: must be a duration above 0 and at most 168h (a week) such as 90s, 5m or 2h (got "271560h")'],
      [['--duration', '5s'], "--duration: the load must last 10 s to 48 h on the wall clock (the run's Prometheus keeps 2 days) (got 5 s at time scale 1)"],
      [['--duration', '168h'], "--duration: the load must last 10 s to 48 h on the wall clock (the run's Prometheus keeps 2 days) (got 604800 s at time scale 1)"],
      [['--update-baseline'], "Unknown option '--update-baseline': not a flag of this command (--help lists them)"],
      [['--target', '--prometheus', 'http://127.0.0.1:9'], '--target: needs a value (got the flag --prometheus)'],
      [['--scale', '-1', '--scale', '0.5'], '--scale: given twice ("-1", then "0.5"); it takes one value'],
      [['--time-scale=2', '--time-scale', '2'], '--time-scale: given twice ("2", then "2"); it takes one value'],
    ];
    for (const [flags, msg] of cases) {
      const r = await cli(['run', 'spike', ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([`scale-harness: ${msg}`]);
    }
  });

  it('case 8: dashboards --grafana-url not-a-url is exit 2 naming the flag, before writing anything', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'dash-')), 'out');
    const r = await cli(['dashboards', '--out', out, '--grafana-url', 'not-a-url']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['scale-harness: --grafana-url: must be an http(s) URL such as http://127.0.0.1:9090 (got "not-a-url")']);
    expect(existsSync(out)).toBe(false);
  });

  it('case 8: a read-only reports folder gets a clear line, before anything starts', async () => {
    const ro = mkdtempSync(path.join(os.tmpdir(), 'ro-reports-'));
    const runs = path.join(ro, 'runs');
    mkdirSync(runs);
    // chmod does not stop root: then a read-only mount does.
    let mounted = false;
    if (process.getuid?.() === 0) {
      await execFileP('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', runs]);
      mounted = true;
    } else {
      await execFileP('chmod', ['0555', runs]);
    }
    try {
      const r = await execFileP(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', 'spike', '--quick'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, SCALE_HARNESS_RUNS_DIR: runs },
        timeout: 30_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(new RegExp(`^scale-harness: ${runs}: run folders cannot be written there \\((EROFS|EACCES)\\); make it writable, or run from a writable checkout$`));
    } finally {
      if (mounted) await execFileP('umount', [runs]);
    }
  }, 40_000);
});
