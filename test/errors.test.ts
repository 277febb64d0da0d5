import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError, keyPath, parseInput, schemaError } from '../src/errors.ts';

const Fault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('late'), delaySeconds: z.number().positive('must be more than 0 s') }),
  z.strictObject({ kind: z.literal('ignore') }),
]);
const Schema = z.strictObject({
  stages: z.array(z.strictObject({ duration: z.string(), target: z.number().nonnegative('must be zero or more req/s') })),
  fault: Fault.optional(),
  limit: z.union([z.number(), z.strictObject({ max: z.number() })]).optional(),
});

/** The one line a person sees for `data`. */
function line(data: unknown, base: PropertyKey[] = []): string {
  const r = Schema.safeParse(data);
  if (r.success) throw new Error('expected the data to be invalid');
  return schemaError('profiles/x.ts', data, r.error, base).message;
}

describe('keyPath', () => {
  it('writes indexes in brackets and names after dots', () => {
    expect(keyPath(['stages', 1, 'target'])).toBe('stages[1].target');
    expect(keyPath([0, 'a'])).toBe('[0].a');
    expect(keyPath([])).toBe('(root)');
  });
});

describe('schemaError', () => {
  it('names a key inside a nested array with the value', () => {
    const data = { stages: [{ duration: '1m', target: 5 }, { duration: '1m', target: -3 }] };
    expect(line(data)).toBe('profiles/x.ts: stages[1].target: must be zero or more req/s (got -3)');
  });

  it('names a missing key as nothing', () => {
    expect(line({ stages: [{ duration: '1m' }] })).toBe(
      'profiles/x.ts: stages[0].target: Invalid input: expected number, received undefined (got nothing)',
    );
  });

  it('names an unknown key with its value, and the others it found', () => {
    expect(line({ stages: [{ duration: '1m', target: 1, taret: 2 }] })).toBe('profiles/x.ts: stages[0].taret: unknown key (got 2)');
    expect(line({ stages: [], bogus: 'a', other: 1 })).toBe('profiles/x.ts: bogus: unknown key; also unknown: other (got "a")');
  });

  it('reports a bad discriminator at the discriminator key', () => {
    expect(line({ stages: [], fault: { kind: 'slow' } })).toBe(
      `profiles/x.ts: fault.kind: Invalid discriminator value. Expected 'late' | 'ignore' (got "slow")`,
    );
  });

  it('reports the failing key inside the chosen branch of a discriminated union', () => {
    expect(line({ stages: [], fault: { kind: 'late', delaySeconds: 0 } })).toBe(
      'profiles/x.ts: fault.delaySeconds: must be more than 0 s (got 0)',
    );
  });

  it('follows the union branch that got deepest into the value', () => {
    expect(line({ stages: [], limit: { max: 'ten' } })).toBe(
      'profiles/x.ts: limit.max: Invalid input: expected number, received string (got "ten")',
    );
  });

  it('lists what a union accepts when no branch got past the value itself', () => {
    expect(line({ stages: [], limit: 'ten' })).toBe('profiles/x.ts: limit: expected number or object (got "ten")');
  });

  it('prefixes the key path when the data sits inside a larger file', () => {
    expect(line({ stages: [{ duration: '1m', target: -1 }] }, ['presets', 'slow-3g'])).toBe(
      'profiles/x.ts: presets.slow-3g.stages[0].target: must be zero or more req/s (got -1)',
    );
  });

  it('names the root when the value is not an object at all', () => {
    expect(line(5)).toBe('profiles/x.ts: (root): Invalid input: expected object, received number (got 5)');
  });

  it('is an InputError of one line', () => {
    const r = Schema.safeParse({ stages: [{ target: 'x' }], bogus: 1 });
    expect(r.success).toBe(false);
    const err = schemaError('f.json', {}, r.error as z.ZodError);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).not.toContain('\n');
  });
});

describe('parseInput', () => {
  it('returns the parsed data or throws the same line', () => {
    expect(parseInput(Schema, { stages: [] }, 'f.json')).toEqual({ stages: [] });
    expect(() => parseInput(Schema, { stages: 1 }, 'f.json')).toThrow(
      'f.json: stages: Invalid input: expected array, received number (got 1)',
    );
  });
});
