/** Profile and stack module files: how they are shown in messages and how they are imported. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../util/paths.ts';

/** Relative to the project root when inside it, else absolute. */
export function projectPath(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** True when `ref` names a file (has a slash or a .ts/.js/.json ending) rather than a registered name. */
export function isFileRef(ref: string): boolean {
  return /[/\\]|\.(ts|mts|js|mjs|json)$/.test(ref);
}

/** How long a profile or stack module may take to load (a top-level await that never settles), ms. */
export const PROFILE_LOAD_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InputError(`${file}: (root): did not finish loading within ${ms / 1000} s (a top-level await that never settles?)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The default export of a .ts/.js module; a module that does not load is one input-error line. */
export async function importDefault(abs: string): Promise<unknown> {
  const file = projectPath(abs);
  let data: unknown;
  try {
    const mod = await withTimeout(import(pathToFileURL(abs).href) as Promise<{ default?: unknown }>, PROFILE_LOAD_MS, file);
    data = mod.default;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
  if (data === undefined) throw new InputError(`${file}: (root): has no default export (got nothing)`);
  return data;
}
