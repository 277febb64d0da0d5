/**
 * Child processes of the harness, the same way everywhere: started in their own process group
 * (a terminal's Ctrl-C reaches the harness, which stops them in order: k6 first, Prometheus
 * after judging), with a parent-death signal so that they die with the harness even when it is
 * killed outright, and listed in a registry so that every exit path can stop them.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';

/** A child the harness started: what the next start needs to recognise it after a crash. */
export interface ChildRecord {
  pid: number;
  name: string;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  startTicks: number | null;
}

const live = new Map<number, { child: ChildProcess; record: ChildRecord }>();
const listeners = new Set<(children: ChildRecord[]) => void>();
let exitHookInstalled = false;

/**
 * util-linux `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG (not reachable from Node) and then
 * execs the program, so the child is SIGKILLed by the kernel the moment the harness dies.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/** True when children get a parent-death signal (else only the registry reaps them). */
export const PARENT_DEATH_SIGNAL = SETPRIV !== undefined;

/** Start time of `pid` in clock ticks since boot, or null when it is gone (or not Linux). */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** True when `pid` is alive (and, when `startTicks` is given, is still the same process). */
export function isAlive(pid: number, startTicks?: number | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTicks === undefined || startTicks === null) return true;
  const now = processStartTicks(pid);
  return now === null || now === startTicks;
}

/** The children alive now. */
export function liveChildren(): ChildRecord[] {
  return [...live.values()].map((c) => c.record);
}

/** Called with the live children whenever one starts or exits (the run lock records them). */
export function onChildrenChange(fn: (children: ChildRecord[]) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed(): void {
  const now = liveChildren();
  for (const fn of listeners) fn(now);
}

/**
 * Spawns `command` as a child of the harness: own process group, parent-death signal, listed in
 * the registry until it exits. `name` is what messages call it (k6, prometheus, stack...).
 */
export function spawnChild(name: string, command: string, args: string[], opts: Omit<SpawnOptions, 'detached'> = {}): ChildProcess {
  const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { ...opts, detached: true });
  // Whatever ends the process (an uncaught error, process.exit anywhere), children go too.
  if (live.size === 0 && !exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => void killAllChildren());
  }
  const pid = child.pid;
  if (pid !== undefined) {
    live.set(pid, { child, record: { pid, name, startTicks: processStartTicks(pid) } });
    child.once('exit', () => {
      live.delete(pid);
      changed();
    });
    changed();
  }
  return child;
}

/** Resolves once `child` has exited; sends SIGKILL if SIGTERM did not end it within `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** SIGKILLs every live child at once, synchronously: for exit paths that cannot wait. */
export function killAllChildren(): ChildRecord[] {
  const killed = liveChildren();
  for (const { child } of live.values()) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  return killed;
}

/**
 * SIGKILLs the processes a dead harness left behind (from its registry), skipping pids that now
 * belong to another process. Returns the ones killed.
 */
export function reapOrphans(records: ChildRecord[]): ChildRecord[] {
  const reaped: ChildRecord[] = [];
  for (const r of records) {
    if (!isAlive(r.pid, r.startTicks) || r.startTicks === null) continue;
    try {
      process.kill(r.pid, 'SIGKILL');
      reaped.push(r);
    } catch {
      /* gone meanwhile */
    }
  }
  return reaped;
}

const forcedExitHooks = new Set<() => void>();

/**
 * Registers work that must happen even when the harness stops at once (a second Ctrl-C): it
 * must be synchronous and quick, e.g. writing an `inconclusive` verdict. Returns the remover.
 */
export function onForcedExit(fn: () => void): () => void {
  forcedExitHooks.add(fn);
  return () => forcedExitHooks.delete(fn);
}

/** Runs the forced-exit hooks (each at most once) and kills every child. */
export function forceStop(log: (line: string) => void): void {
  for (const fn of [...forcedExitHooks]) {
    forcedExitHooks.delete(fn);
    try {
      fn();
    } catch (err) {
      log(`could not finish on the way out: ${(err as Error).message}`);
    }
  }
  killAllChildren();
}
