/**
 * The registry of stacks. A stack is one module (module.ts): service spec, journeys, trigger
 * table, target mapping. The built-in ones are listed in profiles/stacks/index.ts; any other is
 * loaded from its file, named by path (from a profile's `stack`, or `--stack` of the stack
 * process). Each module is validated once, when loaded: a bad one is an input error naming its
 * file, the key path and the value.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_IN_STACKS } from '../../profiles/stacks/index.ts';
import { InputError, parseInput } from '../errors.ts';
import { importDefault, isFileRef, projectPath } from '../plan/files.ts';
import { StackModuleSchema, type StackModule } from './module.ts';
import { StackSpecSchema, type StackSpec } from './spec.ts';

export interface LoadedStack extends StackModule {
  /** How to load it again (another process): a built-in's name, or the module's absolute path. */
  ref: string;
  /** Where it came from, for messages. */
  file: string;
}

/** Validates a service spec alone (tests run small stacks); throws an InputError naming `file`. */
export function parseStackSpec(data: unknown, file: string): StackSpec {
  return parseInput(StackSpecSchema, data, file);
}

/** Validates a stack module; throws an InputError naming `file`, the key path and the value. */
export function parseStackModule(data: unknown, file: string, ref = file): LoadedStack {
  return { ...parseInput(StackModuleSchema, data, file), ref, file };
}

const builtIns = new Map<string, LoadedStack>();

/** Names of the built-in stacks. */
export function builtInStackNames(): string[] {
  return Object.keys(BUILT_IN_STACKS);
}

/** A built-in stack by name; an unknown name is an InputError listing the known ones. */
export function builtInStack(name: string, key = 'stack'): LoadedStack {
  const cached = builtIns.get(name);
  if (cached) return cached;
  // Own keys only: a name like "toString" is not a stack.
  const data = Object.hasOwn(BUILT_IN_STACKS, name) ? (BUILT_IN_STACKS as Record<string, unknown>)[name] : undefined;
  if (data === undefined) {
    throw new InputError(`${key}: unknown stack ${JSON.stringify(name)}; built in: ${builtInStackNames().join(', ')} (or a path to a stack module)`);
  }
  const loaded = parseStackModule(data, `profiles/stacks/${name}.ts`, name);
  if (loaded.name !== name) throw new InputError(`profiles/stacks/${name}.ts: name: must be the name it is listed under (got ${JSON.stringify(loaded.name)})`);
  builtIns.set(name, loaded);
  return loaded;
}

/** Every built-in stack, validated. */
export function builtInStacks(): LoadedStack[] {
  return builtInStackNames().map((n) => builtInStack(n));
}

/**
 * A stack by reference: a built-in name, or a module path (relative to `baseDir`). `key` names
 * where the reference was written, for the error line.
 */
export async function loadStack(ref: string, baseDir = process.cwd(), key = 'stack'): Promise<LoadedStack> {
  if (!isFileRef(ref)) return builtInStack(ref, key);
  const abs = path.resolve(baseDir, ref);
  if (!(await access(abs).then(() => true, () => false))) throw new InputError(`${key}: no stack module at ${projectPath(abs)} (got ${JSON.stringify(ref)})`);
  return parseStackModule(await importDefault(abs), projectPath(abs), abs);
}
