/**
 * The processes the bench starts itself (wrk, raw k6, embedded stacks), so that an interrupt or
 * an error stops every one of them, by its own handle, before the bench exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { StackProcess } from '../../src/stack/spawn.ts';

const children = new Set<ChildProcess>();
const stacks = new Set<StackProcess>();

export interface Finished {
  code: number | null;
  signal: string | null;
  stdout: string;
}

/** Starts `bin args`, collects stdout, passes every line to `onLine`. */
export function run(bin: string, args: string[], opts: { env?: Record<string, string>; onLine?: (l: string) => void } = {}): { done: Promise<Finished>; stop(): void } {
  const child = spawn(bin, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (l) => {
      if (l.trim()) opts.onLine?.(l);
    });
  }
  const done = new Promise<Finished>((resolve) => {
    child.on('error', (err) => {
      children.delete(child);
      resolve({ code: null, signal: `spawn error: ${err.message}`, stdout });
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout });
    });
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
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
  for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  await Promise.all([...stacks].map((s) => stopStack(s).catch(() => undefined)));
}

/** Last resort (process exit): SIGKILL whatever the bench started that is still alive. */
export function killAllNow(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
