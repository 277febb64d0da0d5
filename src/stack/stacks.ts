/**
 * The registry of embedded stack profiles, validated once when loaded: a bad profile is reported
 * naming its file, the key path and the value.
 */
import meqenet from '../../profiles/stacks/meqenet.ts';
import reloop from '../../profiles/stacks/reloop.ts';
import { inputError } from '../errors.ts';
import type { StackName } from '../plan/schema.ts';
import { StackSpecSchema, type StackSpec, type StackSpecInput } from './spec.ts';

const PROFILES: Record<StackName, { file: string; data: StackSpecInput }> = {
  meqenet: { file: 'profiles/stacks/meqenet.ts', data: meqenet },
  reloop: { file: 'profiles/stacks/reloop.ts', data: reloop },
};

/** Validates stack profile data; throws an InputError naming `file`, the key and the value. */
export function parseStackSpec(data: unknown, file: string): StackSpec {
  const result = StackSpecSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const key = first && first.path.length > 0 ? first.path.map(String).join('.') : '(root)';
  const value = first && 'input' in first ? first.input : undefined;
  throw inputError(file, key, value, first?.message ?? 'invalid stack profile');
}

/** The validated profile of a named stack. */
export function loadStackSpec(name: StackName): StackSpec {
  const entry = PROFILES[name];
  return parseStackSpec(entry.data, entry.file);
}
