/**
 * One machine, one run: two runs on one machine share its cores and skew each other's
 * latencies, so a second run is refused unless asked for (--allow-concurrent), and then both
 * runs learn of each other. Each running harness keeps a file `<pid>.json` in the lock folder
 * (os.tmpdir()/scale-harness-runs, or SCALE_HARNESS_LOCK_DIR) listing its children: a file
 * whose harness is dead is stale, and the next start stops what it left behind and says so.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { isAlive, liveChildren, onChildrenChange, processStartTicks, reapOrphans, type ChildRecord } from './process.ts';

export interface LockHolder {
  pid: number;
  startTicks: number | null;
  /** The command line it runs, e.g. `run spike --quick`. */
  command: string;
  cwd: string;
  startedAt: string;
  allowConcurrent: boolean;
  children: ChildRecord[];
}

export interface RunLock {
  /** Runs that shared the machine with this one (at its start, or joined later). */
  concurrentWith(): string[];
  release(): void;
}

export function lockDir(): string {
  return process.env.SCALE_HARNESS_LOCK_DIR ?? path.join(os.tmpdir(), 'scale-harness-runs');
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid}, \`${h.command}\` in ${h.cwd}, started ${h.startedAt}`;
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The other live harness runs holding a lock file now (stale files are left to the next start). */
export function liveOtherHolders(): LockHolder[] {
  let names: string[];
  try {
    names = readdirSync(lockDir());
  } catch {
    return [];
  }
  const out: LockHolder[] = [];
  for (const name of names) {
    const m = /^(\d+)\.json$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    // A file being rewritten reads as null: it is seen on the next call.
    const h = readHolder(path.join(lockDir(), name));
    if (h && isAlive(h.pid, h.startTicks)) out.push(h);
  }
  return out;
}

/** A short mutex (a directory) so that two harnesses starting together see each other, ≤ 2 s. */
function withGate<T>(dir: string, fn: () => T): T {
  const gate = path.join(dir, '.gate');
  const deadline = Date.now() + 2000;
  for (;;) {
    try {
      mkdirSync(gate);
      break;
    } catch {
      // A gate older than 10 s belongs to a harness that died holding it.
      const age = Date.now() - (statSync(gate, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000) rmSync(gate, { recursive: true, force: true });
      else if (Date.now() > deadline) break;
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(gate, { recursive: true, force: true });
  }
}

/**
 * Takes the machine's run lock for this process, or throws an InputError naming the run that
 * holds it. Stale locks (their harness is dead) are taken over, their leftovers stopped.
 */
export function acquireRunLock(opts: { command: string; allowConcurrent: boolean; log: (line: string) => void }): RunLock {
  const dir = lockDir();
  mkdirSync(dir, { recursive: true });
  const mine = path.join(dir, `${process.pid}.json`);
  const joined = path.join(dir, `${process.pid}.joined`);
  const me: LockHolder = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    command: opts.command,
    cwd: process.cwd(),
    startedAt: new Date().toISOString(),
    allowConcurrent: opts.allowConcurrent,
    children: liveChildren(),
  };
  const others = withGate(dir, () => {
    const found: LockHolder[] = [];
    for (const name of readdirSync(dir)) {
      const m = /^(\d+)\.json$/.exec(name);
      if (!m || Number(m[1]) === process.pid) continue;
      const file = path.join(dir, name);
      const h = readHolder(file);
      if (h && isAlive(h.pid, h.startTicks)) {
        found.push(h);
        continue;
      }
      const reaped = h ? reapOrphans(h.children) : [];
      const what = reaped.length ? `; stopped what it left running: ${reaped.map((r) => `${r.name} (pid ${r.pid})`).join(', ')}` : '';
      opts.log(`scale-harness: took over the lock of a run that ended without releasing it (${h ? describeHolder(h) : name})${what}`);
      unlinkSync(file);
      try {
        unlinkSync(path.join(dir, `${m[1]}.joined`));
      } catch {
        /* none */
      }
    }
    if (found.length > 0 && !opts.allowConcurrent) {
      throw new InputError(`another run is in progress on this machine (${describeHolder(found[0]!)}); wait for it, or pass --allow-concurrent to run both (their verdicts will say so)`);
    }
    writeAtomic(mine, `${JSON.stringify(me)}\n`);
    for (const o of found) appendFileSync(path.join(dir, `${o.pid}.joined`), `${describeHolder(me)}\n`);
    return found;
  });
  const stopWatching = onChildrenChange((children) => {
    try {
      writeAtomic(mine, `${JSON.stringify({ ...me, children })}\n`);
    } catch {
      /* the lock folder went away: nothing to record into */
    }
  });
  let released = false;
  return {
    concurrentWith: () => {
      let later: string[] = [];
      try {
        later = readFileSync(joined, 'utf8').split('\n').filter(Boolean);
      } catch {
        /* nobody joined */
      }
      return [...others.map(describeHolder), ...later];
    },
    release: () => {
      if (released) return;
      released = true;
      stopWatching();
      for (const f of [mine, joined]) {
        try {
          unlinkSync(f);
        } catch {
          /* already gone */
        }
      }
    },
  };
}
