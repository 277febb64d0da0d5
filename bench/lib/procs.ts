/**
 * The processes the bench starts itself (wrk, raw k6, embedded stacks), so that an interrupt or
 * an error stops every one of them, by its own handle, before the bench exits. External tools
 * run through zx's `$` (arguments quoted by zx; bash execs the single command, so the child's
 * pid is the tool's own, which the CPU sampler attributes by command line).
 */
import { createInterface } from 'node:readline';
import { $, type ProcessPromise } from 'zx';
import type { StackProcess } from '../../src/stack/spawn.ts';

const children = new Set<ProcessPromise>();
const stacks = new Set<StackProcess>();

export interface Finished {
  code: number | null;
  signal: string | null;
  stdout: string;
}

/** Starts `bin args`, collects stdout, passes every line to `onLine`. */
export function run(bin: string, args: string[], opts: { env?: Record<string, string>; onLine?: (l: string) => void } = {}): { done: Promise<Finished>; stop(): void } {
  const p = $({ nothrow: true, quiet: true, env: { ...process.env, ...opts.env } })`${bin} ${args}`;
  children.add(p);
  for (const stream of [p.stdout, p.stderr]) {
    createInterface({ input: stream }).on('line', (l) => {
      if (l.trim()) opts.onLine?.(l);
    });
  }
  const done = p.then(
    (out): Finished => ({ code: out.exitCode, signal: out.signal, stdout: out.stdout }),
    (err: unknown): Finished => ({ code: null, signal: `spawn error: ${(err as Error).message}`, stdout: '' }),
  );
  void done.finally(() => children.delete(p));
  return { done, stop: () => stopChild(p, 'SIGINT') };
}

function stopChild(p: ProcessPromise, signal: NodeJS.Signals): void {
  const child = p.child;
  if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** Registers a stack so that `stopAll` stops it; returns it unchanged. */
export function track(stack: StackProcess): StackProcess {
  stacks.add(stack);
  return stack;
}

export async function stopStack(stack: StackProcess): Promise<void> {
  stacks.delete(stack);
  await stack.stop();
}

/** Stops everything still running: SIGINT to wrk and k6 (k6 then exits cleanly), stacks by SIGTERM. */
export async function stopAll(): Promise<void> {
  for (const p of children) stopChild(p, 'SIGINT');
  await Promise.all([...stacks].map((s) => stopStack(s).catch(() => undefined)));
}

/** Last resort (process exit): SIGKILL whatever the bench started that is still alive. */
export function killAllNow(): void {
  for (const p of children) stopChild(p, 'SIGKILL');
}

/** SIGKILL to each pid, synchronously (usable in an 'exit' handler); one already gone is skipped. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
