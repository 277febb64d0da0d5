/**
 * Loads a profile (profiles/<name>.ts, or a .ts/.js/.json path) and validates it once with the
 * schema. Every error is one line naming the file, the key and the value.
 */
import { readdir, readFile, access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { InputError, formatValue } from '../errors.ts';
import { PROFILES_DIR, PROJECT_ROOT } from '../util/paths.ts';
import { ProfileSchema, type Profile } from './schema.ts';

export interface LoadedProfile {
  profile: Profile;
  /** Path relative to the project root when inside it. */
  file: string;
}

/** Profile names available in profiles/ (files that default-export a profile). */
export async function listProfiles(): Promise<string[]> {
  const names = await readdir(PROFILES_DIR).catch(() => [] as string[]);
  const skip = new Set(['journeys', 'triggers', 'capacity', 'network', 'holidays', 'targets']);
  return names
    .filter((n) => n.endsWith('.ts'))
    .map((n) => n.replace(/\.ts$/, ''))
    .filter((n) => !skip.has(n))
    .sort();
}

function display(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith('..') ? file : rel;
}

function valueAt(data: unknown, keyPath: PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of keyPath) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

export function keyPathText(keyPath: PropertyKey[]): string {
  let out = '';
  for (const k of keyPath) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(root)';
}

/** Formats the first zod issue as `file: key: message (got value)`. */
export function formatIssue(file: string, data: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${file}: invalid`;
  if (issue.code === 'unrecognized_keys') {
    const key = keyPathText([...issue.path, issue.keys[0] ?? '?']);
    return `${file}: ${key}: unknown key (allowed keys are the schema's; got ${issue.keys.map((k) => JSON.stringify(k)).join(', ')})`;
  }
  const value = valueAt(data, issue.path);
  return `${file}: ${keyPathText(issue.path)}: ${issue.message} (got ${formatValue(value)})`;
}

/** Validates raw profile data. */
export function parseProfile(file: string, data: unknown): Profile {
  const result = ProfileSchema.safeParse(data);
  if (!result.success) throw new InputError(formatIssue(file, data, result.error));
  return result.data;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Resolves a profile name or path to a file. */
export async function resolveProfileFile(nameOrPath: string): Promise<string> {
  if (/[/\\]|\.(ts|js|json)$/.test(nameOrPath)) {
    const p = path.resolve(nameOrPath);
    if (!(await exists(p))) throw new InputError(`--profile: file not found (got ${JSON.stringify(nameOrPath)})`);
    return p;
  }
  const p = path.join(PROFILES_DIR, `${nameOrPath}.ts`);
  if (!(await exists(p))) {
    throw new InputError(`profile: unknown profile ${JSON.stringify(nameOrPath)}; known: ${(await listProfiles()).join(', ')}`);
  }
  return p;
}

/** How long a profile module may take to load (a top-level await that never settles), ms. */
export const PROFILE_LOAD_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InputError(`${file}: (root): did not finish loading within ${ms / 1000} s (a top-level await that never settles?)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export async function loadProfile(nameOrPath: string): Promise<LoadedProfile> {
  const abs = await resolveProfileFile(nameOrPath);
  const file = display(abs);
  let data: unknown;
  if (abs.endsWith('.json')) {
    try {
      data = JSON.parse(await readFile(abs, 'utf8'));
    } catch (err) {
      throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      const mod = await withTimeout(import(pathToFileURL(abs).href) as Promise<{ default?: unknown }>, PROFILE_LOAD_MS, file);
      data = mod.default;
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${file}: cannot be loaded: ${(err as Error).message.split('\n')[0]}`);
    }
    if (data === undefined) throw new InputError(`${file}: (root): has no default export (got nothing)`);
  }
  return { profile: parseProfile(file, data), file };
}
