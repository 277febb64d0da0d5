/**
 * Property-based input tests: random mutations of every profile and random flag sets, through
 * the CLI's main() in-process. Whatever the input: one line, no stack trace, never exit 0 on
 * invalid input, no process started, no run folder left. A live process holds the machine's
 * run lock throughout, so input that is valid stops at the lock (exit 2) instead of running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FLAGS } from '../../src/cli/flags.ts';
import { listProfiles } from '../../src/plan/load.ts';
import { onChildrenChange, processStartTicks } from '../../src/util/process.ts';
import { PROFILES_DIR, RUNS_DIR } from '../../src/util/paths.ts';

/** The run folders there are (none in a fresh clone, where reports/runs does not exist yet). */
const runFolders = (): string[] => (existsSync(RUNS_DIR) ? readdirSync(RUNS_DIR).sort() : []);

const lockDir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-lock-'));
const work = mkdtempSync(path.join(os.tmpdir(), 'fuzz-profiles-'));
const TOOL_VARS = ['K6_BIN', 'PROMETHEUS_BIN', 'TOXIPROXY_BIN'] as const;
const saved = Object.fromEntries(['SCALE_HARNESS_LOCK_DIR', ...TOOL_VARS].map((k) => [k, process.env[k]]));
let holder: ChildProcess;
let spawned: string[] = [];
const stopWatching = onChildrenChange((c) => spawned.push(...c.map((x) => x.name)));
const LOCKED = /^scale-harness: another run is in progress on this machine \(pid \d+, `run spike` in \/elsewhere/;

beforeAll(() => {
  process.env.SCALE_HARNESS_LOCK_DIR = lockDir;
  // A safety net: should valid input ever get past the lock, no tool could start.
  for (const k of TOOL_VARS) process.env[k] = '/nonexistent/tool';
  holder = spawn('sleep', ['600'], { stdio: 'ignore' });
  const h = { pid: holder.pid, startTicks: processStartTicks(holder.pid!), command: 'run spike', cwd: '/elsewhere', startedAt: 'now', allowConcurrent: false, children: [] };
  writeFileSync(path.join(lockDir, `${holder.pid}.json`), JSON.stringify(h));
});

afterAll(() => {
  stopWatching();
  holder.kill('SIGKILL');
  for (const d of [lockDir, work]) rmSync(d, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function cli(argv: string[]): Promise<{ code: number; err: string[] }> {
  const before = runFolders();
  const lockBefore = readdirSync(lockDir).sort();
  spawned = [];
  const err: string[] = [];
  const code = await main(argv, { out: () => undefined, err: (t) => err.push(t) });
  expect(spawned).toEqual([]);
  expect(runFolders()).toEqual(before);
  expect(readdirSync(lockDir).sort()).toEqual(lockBefore);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(/^scale-harness: /);
  expect(err[0]).not.toMatch(/\n|\s+at \S+ \(|TypeError|ReferenceError|undefined is not/);
  return { code, err };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function mutate(root: Json, at: Array<string | number>, kind: 'set' | 'delete' | 'add', value: Json): Json {
  if (at.length === 0) return kind === 'set' ? value : root;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent: Record<string | number, Json> = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = at[at.length - 1]!;
  if (kind === 'set') parent[last] = value;
  else if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
    (parent[last] as Record<string, Json>).__proto__ = value;
  } else parent[last] = value;
  return copy;
}

const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(-1, 0, 1e308, -1e-9, 'toString', '__proto__', '', '5m', '-5m', 'NaN', 1e9, [], {}, null, true),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

describe('property: mutated profiles', async () => {
  const names = await listProfiles();
  const originals = await Promise.all(
    names.map(async (n) => JSON.parse(JSON.stringify((await import(pathToFileURL(path.join(PROFILES_DIR, 'runs', `${n}.ts`)).href) as { default: unknown }).default)) as Json),
  );

  it(`never pass, never trace, never leave anything (${names.length} profiles)`, async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(names.length - 1), fc.nat(), fc.constantFrom('set', 'delete', 'add'), hostile, async (p, sel, kind, value) => {
        const original = originals[p]!;
        const all = paths(original);
        const mutated = mutate(original, all[sel % all.length]!, kind as 'set' | 'delete' | 'add', value);
        const file = path.join(work, `m${i++}.json`);
        writeFileSync(file, JSON.stringify(mutated));
        const r = await cli(['run', file, '--quick']);
        expect(r.code).toBe(2);
        // Bad input names the file; good input stops at the lock.
        if (!LOCKED.test(r.err[0]!)) expect(r.err[0]).toContain(path.basename(file));
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe('property: random flag sets', () => {
  const values = fc.oneof(
    fc.constantFrom('-1', '0', '1e9', '1e309', 'NaN', '0x10', '2', '0.5', '5m', '-5m', '31y', 'toString', '__proto__', '', 'not-a-url', 'http://10.0.0.1', 'ignore:nope', 'ignore:auth-cpu', 'spike', 'future', '2027'),
    fc.string({ maxLength: 12 }),
  );
  const command = fc.constantFrom('run', 'gate', 'signoff', 'plan');
  const flagArb = (cmd: string) => {
    const table = FLAGS[cmd as keyof typeof FLAGS] as Record<string, { type: string }>;
    // Not --help (exit 0 by design) nor --allow-concurrent (valid input would get past the lock).
    const names = [...Object.keys(table).filter((n) => n !== 'help' && n !== 'allow-concurrent'), 'sacle', 'update-baseline', 'parallel'];
    return fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 4 }).map((pairs) =>
      pairs.flatMap(([n, v]) => (table[n]?.type === 'boolean' ? [`--${n}`] : [`--${n}`, v])),
    );
  };

  it('never exit 0 on invalid input, never trace, never leave anything', async () => {
    await fc.assert(
      fc.asyncProperty(command.chain((c) => fc.tuple(fc.constant(c), flagArb(c))), async ([cmd, flags]) => {
        const argv = cmd === 'run' ? ['run', 'spike', '--quick', ...flags] : [cmd, ...flags];
        const out: string[] = [];
        if (cmd === 'plan') {
          // plan starts nothing: valid input prints and exits 0, invalid input exits 2.
          const err: string[] = [];
          const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
          const years = flags.filter((_, i) => flags[i - 1] === '--year');
          // One --year at most: a flag that takes one value, given twice, is an error.
          const valid =
            flags.every((f, i) => f === '--year' || flags[i - 1] === '--year') &&
            years.length <= 1 &&
            years.every((y) => /^\d+$/.test(y) && Number(y) >= 1900 && Number(y) <= 2200);
          expect(code).toBe(valid ? 0 : 2);
          expect(err.join('\n')).not.toMatch(/\s+at \S+ \(/);
          return;
        }
        const r = await cli(argv);
        expect(r.code).toBe(2);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
