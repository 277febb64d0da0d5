/** Stopping child processes the same way everywhere: SIGTERM, then SIGKILL after a grace period. */
import type { ChildProcess } from 'node:child_process';

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
