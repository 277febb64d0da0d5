/**
 * Loads a profile (a name in profiles/runs/, or a .ts/.js/.json path) and validates it once
 * with the schema, then loads the stack module it names (stacks.ts). Every error is one line
 * naming the file, the key and the value.
 */
import { readdir, readFile, access } from 'node:fs/promises';
import path from 'node:path';
import { InputError, parseInput } from '../errors.ts';
import { loadStack, type LoadedStack } from '../stack/stacks.ts';
import { PROFILES_DIR } from '../util/paths.ts';
import { importDefault, isFileRef, projectPath } from './files.ts';
import { ProfileSchema, type Profile } from './schema.ts';

export { keyPath as keyPathText } from '../errors.ts';

/** Runnable profiles; reference data (capacity plans, presets, stacks...) lives elsewhere in profiles/. */
export const RUNNABLE_DIR = path.join(PROFILES_DIR, 'runs');

export interface LoadedProfile {
  profile: Profile;
  /** Path relative to the project root when inside it. */
  file: string;
  /** The stack module the profile names. */
  stack: LoadedStack;
}

/** Names of the runnable profiles (profiles/runs/*.ts). */
export async function listProfiles(): Promise<string[]> {
  const names = await readdir(RUNNABLE_DIR).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.ts'))
    .map((n) => n.replace(/\.ts$/, ''))
    .sort();
}

/** Validates raw profile data. */
export function parseProfile(file: string, data: unknown): Profile {
  return parseInput(ProfileSchema, data, file);
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Resolves a profile name or path to a file. */
export async function resolveProfileFile(nameOrPath: string): Promise<string> {
  if (isFileRef(nameOrPath)) {
    const p = path.resolve(nameOrPath);
    if (!(await exists(p))) throw new InputError(`profile: file not found (got ${JSON.stringify(nameOrPath)})`);
    return p;
  }
  const p = path.join(RUNNABLE_DIR, `${nameOrPath}.ts`);
  if (!(await exists(p))) {
    throw new InputError(`profile: unknown profile ${JSON.stringify(nameOrPath)}; known: ${(await listProfiles()).join(', ')}`);
  }
  return p;
}

async function readJson(abs: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(abs, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function loadProfile(nameOrPath: string): Promise<LoadedProfile> {
  const abs = await resolveProfileFile(nameOrPath);
  const file = projectPath(abs);
  const data = abs.endsWith('.json') ? await readJson(abs, file) : await importDefault(abs);
  const profile = parseProfile(file, data);
  // A stack named by path is found next to the profile, as an import would be.
  const stack = await loadStack(profile.stack, path.dirname(abs), `${file}: stack`);
  return { profile, file, stack };
}
