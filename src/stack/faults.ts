/**
 * Fault switches: ways to break the autoscaler on purpose, so tests can prove the controller
 * catches a broken one. At most one fault per trigger.
 */
import { z } from 'zod';
import { InputError, formatValue, inputError, parseInput } from '../errors.ts';

const TriggerId = z.string().min(1);

export const FaultSchema = z.discriminatedUnion('kind', [
  /** Never acts on the trigger. */
  z.strictObject({ kind: z.literal('ignore'), trigger: TriggerId }),
  /** Acts `delaySeconds` (wall clock) later than it should. */
  z.strictObject({ kind: z.literal('late'), trigger: TriggerId, delaySeconds: z.number().positive() }),
  /** Scales by `count` instead of the promised step. */
  z.strictObject({ kind: z.literal('short'), trigger: TriggerId, count: z.number().int().nonnegative() }),
  /** After each scale-up, scales back down at the next sync; up again when it re-fires. */
  z.strictObject({ kind: z.literal('flap'), trigger: TriggerId }),
]);
export type Fault = z.infer<typeof FaultSchema>;

/**
 * Parses `ignore:<trigger>`, `late:<trigger>:<seconds>`, `short:<trigger>:<count>` or
 * `flap:<trigger>`; throws an InputError quoting the text.
 */
export function parseFault(text: string): Fault {
  const [kind, trigger, arg, ...rest] = text.split(':');
  const bad = (why: string): InputError => new InputError(`--fault: ${why} (got ${formatValue(text)})`);
  if (!trigger || rest.length > 0) throw bad('must look like ignore:<trigger>, late:<trigger>:<seconds>, short:<trigger>:<count> or flap:<trigger>');
  const n = Number(arg);
  let raw: unknown;
  if (kind === 'ignore' || kind === 'flap') {
    if (arg !== undefined) throw bad(`${kind} takes no argument`);
    raw = { kind, trigger };
  } else if (kind === 'late') {
    raw = { kind, trigger, delaySeconds: arg === undefined || arg === '' ? NaN : n };
  } else if (kind === 'short') {
    raw = { kind, trigger, count: arg === undefined || arg === '' ? NaN : n };
  } else {
    throw bad(`unknown kind "${kind}": use ignore, late, short or flap`);
  }
  const parsed = FaultSchema.safeParse(raw);
  if (!parsed.success) throw bad(kind === 'late' ? 'late needs a delay in seconds, more than 0' : 'short needs a whole count of 0 or more');
  return parsed.data;
}

/** Checks faults name known triggers, one fault each; returns them by trigger id. */
export function faultsByTrigger(faults: readonly unknown[], triggerIds: readonly string[], where = 'stack options'): Map<string, Fault> {
  const known = new Set(triggerIds);
  const out = new Map<string, Fault>();
  faults.forEach((raw, i) => {
    const f = parseInput(FaultSchema, raw, where, ['faults', i]);
    const key = `faults[${i}].trigger`;
    if (!known.has(f.trigger)) throw inputError(where, key, f.trigger, `no trigger "${f.trigger}"; known: ${[...known].join(', ')}`);
    if (out.has(f.trigger)) throw inputError(where, key, f.trigger, 'already has a fault; one fault per trigger');
    out.set(f.trigger, f);
  });
  return out;
}
