/** Exit codes (DESIGN.md, Verdicts). Only src/cli chooses them. */
import { HarnessError } from '../errors.ts';
import type { Status, Verdict } from '../controller/types.ts';

export const EXIT = { pass: 0, fail: 1, input: 2, inconclusive: 3, tool: 4, interrupted: 130 } as const;

export function exitForStatus(status: Status, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  return EXIT[status];
}

/**
 * A run's exit code: 130 only for the user's interrupt; a component that died during the load
 * (k6, Prometheus, the stack: `health.crash`) makes the run inconclusive, 3.
 */
export function exitForVerdict(verdict: Pick<Verdict, 'status' | 'interrupted'> & { health?: { crash: string | null } }, aborted: boolean): number {
  return exitForStatus(verdict.status, aborted || (verdict.interrupted && !verdict.health?.crash));
}

export function exitForError(err: unknown): number {
  if (err instanceof HarnessError) return EXIT[err.kind];
  return EXIT.inconclusive;
}
