/** Exit codes (DESIGN.md, Verdicts). Only src/cli chooses them. */
import { HarnessError } from '../errors.ts';
import type { Status } from '../controller/types.ts';

export const EXIT = { pass: 0, fail: 1, input: 2, inconclusive: 3, tool: 4, interrupted: 130 } as const;

export function exitForStatus(status: Status, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  return EXIT[status];
}

export function exitForError(err: unknown): number {
  if (err instanceof HarnessError) return EXIT[err.kind];
  return EXIT.inconclusive;
}
