/**
 * The stack's process entry point: flag parsing (unit), the rows its autoscaler obeys, and the real
 * process: one READY line, clean stop on SIGTERM, exit 2 on a bad flag.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { parseFault } from '../../src/stack/faults.ts';
import { loadProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { parseStackArgs } from '../../src/stack/main.ts';
import { defaultTriggers } from '../../src/stack/triggers.ts';

describe('parseStackArgs', () => {
  it('parses every flag', () => {
    const args = parseStackArgs([
      '--stack', 'meqenet', '--scale', '0.1', '--time-scale', '60', '--port', '0', '--seed', '7',
      '--fault', 'ignore:auth-cpu', '--fault', 'late:payments-queue:30', '--no-autoscale', '--control-stdin',
    ]);
    expect(args).toEqual({
      options: {
        stack: 'meqenet',
        scale: 0.1,
        timeScale: 60,
        port: 0,
        seed: 7,
        autoscale: false,
        faults: [
          { kind: 'ignore', trigger: 'auth-cpu' },
          { kind: 'late', trigger: 'payments-queue', delaySeconds: 30 },
        ],
      },
      controlStdin: true,
    });
    expect(parseStackArgs(['--stack', 'reloop'])).toEqual({ options: { stack: 'reloop' }, controlStdin: false });
  });

  it.each([
    [['--stack', 'kafka'], '--stack: unknown stack "kafka"; built in: meqenet, reloop (or a path to a stack module)'],
    [['--scale', '1'], "--stack: needs a built-in stack's name or a stack module's path (got nothing)"],
    [['--stack', 'meqenet', '--scale', 'big'], '--scale: must be a number more than 0 (got "big")'],
    [['--stack', 'meqenet', '--time-scale', '0'], '--time-scale: must be a number more than 0 (got "0")'],
    [['--stack', 'meqenet', '--port', '70000'], '--port: must be a whole number 0..65535 (got "70000")'],
    [['--stack', 'meqenet', '--fault', 'boom:auth-cpu'], '--fault: unknown kind "boom": use ignore, late, short, flap, slow, errors, leak or proxy-down (got "boom:auth-cpu")'],
    [['--stack', 'meqenet', '--fault', 'short:auth-cpu:x'], '--fault: short needs a whole count of 0 or more (got "short:auth-cpu:x")'],
    [['--stack', 'meqenet', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('%j → %s', (argv, message) => {
    expect(() => parseStackArgs(argv)).toThrow(InputError);
    expect(() => parseStackArgs(argv)).toThrow(message);
  });

  it('parses each fault kind', () => {
    expect(parseFault('flap:auth-cpu')).toEqual({ kind: 'flap', trigger: 'auth-cpu' });
    expect(parseFault('short:auth-cpu:1')).toEqual({ kind: 'short', trigger: 'auth-cpu', count: 1 });
    expect(() => parseFault('ignore')).toThrow('--fault: must look like');
    expect(() => parseFault('late:auth-cpu:-3')).toThrow('late needs a delay in seconds');
  });
});

describe('the autoscaler\'s rows', () => {
  it('are the rows a plan judges at the same scale and time scale, queue thresholds scaled', async () => {
    const { profile, file, stack } = await loadProfile('spike');
    const plan = resolvePlan(profile, { runId: 'r', file, stack, targetUrl: 'http://127.0.0.1:1', scale: 0.02, timeScale: 66 });
    const rows = defaultTriggers(stack, { scale: 0.02, timeScale: 66 });
    expect(rows).toEqual(plan.triggers.map((t) => ({ ...t, expect: 'any' })));
    // Written out: 500 pending at scale 1 is 10 at scale 0.02; a 5-minute window is 300/66 s.
    expect(rows.find((t) => t.id === 'payments-queue')).toMatchObject({ threshold: 10, planThreshold: 500 });
    expect(rows.find((t) => t.id === 'auth-cpu')).toMatchObject({ threshold: 70, forSeconds: 300, forWallSeconds: 300 / 66 });
  });
});

function runMain(args: string[]): { lines: Promise<string>; done: Promise<{ code: number | null; stdout: string; stderr: string }>; kill: (s: NodeJS.Signals) => void; send: (line: string) => void; stderr: () => string } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, 'src/stack/main.ts', ...args], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let firstLine: (l: string) => void = () => undefined;
  const lines = new Promise<string>((resolve) => (firstLine = resolve));
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    if (stdout.includes('\n')) firstLine(stdout.split('\n')[0] ?? '');
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      firstLine('');
      resolve({ code, stdout, stderr });
    });
  });
  return { lines, done, kill: (s) => child.kill(s), send: (line) => child.stdin.write(`${line}\n`), stderr: () => stderr };
}

describe('src/stack/main.ts as a process', () => {
  it('prints one READY line, serves, and stops cleanly on SIGTERM', async () => {
    const p = runMain(['--stack', 'meqenet', '--scale', '0.1', '--time-scale', '60', '--port', '0', '--fault', 'ignore:auth-cpu']);
    const ready = await p.lines;
    expect(ready).toMatch(/^READY http:\/\/127\.0\.0\.1:\d+$/);
    const url = ready.slice('READY '.length);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    p.kill('SIGTERM');
    const { code, stdout } = await p.done;
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([ready]);
  });

  it('with --control-stdin: names a line that is no command, and still stops on SIGTERM with stdin open', async () => {
    const p = runMain(['--stack', 'meqenet', '--scale', '0.1', '--time-scale', '60', '--control-stdin']);
    expect(await p.lines).toMatch(/^READY /);
    p.send('{"push":{"url":"http://127.0.0.1:1/api/v1/write","intervalSeconds":-1,"job":"stack"}}');
    p.send('hello');
    for (let i = 0; i < 200 && !p.stderr().includes('(got "hello")'); i++) await new Promise((r) => setTimeout(r, 50));
    p.kill('SIGTERM');
    const { code, stderr } = await p.done;
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      'stack: stdin: not a command, ignored (got "{\\"push\\":{\\"url\\":\\"http://127.0.0.1:1/api/v1/write\\",\\"intervalSeconds\\":-1,\\"job\\":\\"stack\\"}}")',
      'stack: stdin: not a command, ignored (got "hello")',
      'stack: SIGTERM, stopping',
    ]);
  });

  it('exits 2 with one line naming a bad flag and its value', async () => {
    const { code, stdout, stderr } = await runMain(['--stack', 'meqenet', '--scale=-1']).done;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['stack: --scale: must be a number more than 0 (got "-1")']);
    const ambiguous = await runMain(['--stack', 'meqenet', '--scale', '-1']).done;
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.trim().split('\n')).toEqual(["stack: Option '--scale' argument is ambiguous."]);
  });
});
