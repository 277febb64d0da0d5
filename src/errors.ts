/**
 * Errors the harness reports to people. Each kind maps to one exit code in src/cli; library
 * code throws or returns these and never exits.
 */
import type { z } from 'zod';

export type ErrorKind = 'input' | 'tool' | 'inconclusive' | 'interrupted';

export class HarnessError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'HarnessError';
    this.kind = kind;
  }
}

/** Bad input: a malformed profile, an unknown service, a negative rate, a bad flag. Exit 2. */
export class InputError extends HarnessError {
  constructor(message: string) {
    super('input', message);
    this.name = 'InputError';
  }
}

/** A tool (k6, Prometheus, Toxiproxy) could not be provisioned or started. Exit 4. */
export class ToolError extends HarnessError {
  constructor(message: string) {
    super('tool', message);
    this.name = 'ToolError';
  }
}

/** Names a file, a key path and the offending value on one line. */
export function inputError(file: string, key: string, value: unknown, why: string): InputError {
  return new InputError(`${file}: ${key}: ${why} (got ${formatValue(value)})`);
}

export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** A key path written one way: `stages[1].target`; the empty path is `(root)`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(root)';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/**
 * The issue a person should read first. A union that failed in every branch reports the branch
 * that got deepest into the value (the one the author most likely meant); when every branch
 * failed on the value itself, the message lists what would have been accepted.
 */
function leadIssue(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): { path: PropertyKey[]; issue: z.core.$ZodIssue; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, issue, message: issue.message };
  const firsts = issue.errors.map((branch) => branch[0]).filter((i) => i !== undefined);
  const deepest = firsts.reduce<z.core.$ZodIssue | undefined>((a, b) => (a === undefined || b.path.length > a.path.length ? b : a), undefined);
  if (deepest && deepest.path.length > 0) return leadIssue(deepest, path);
  const expected = firsts.map((i) => (i.code === 'invalid_type' ? i.expected : null));
  const message = expected.every((e) => e !== null) ? `expected ${[...new Set(expected)].join(' or ')}` : issue.message;
  return { path, issue, message };
}

/**
 * Turns a schema failure into one input-error line, `file: key.path: message (got value)`.
 * `data` is what was validated (the value is read from it); `base` prefixes the key path when
 * `data` sits inside a larger file (a preset under its name, a fault in a list).
 */
export function schemaError(file: string, data: unknown, error: { issues: readonly z.core.$ZodIssue[] }, base: readonly PropertyKey[] = []): InputError {
  const first = error.issues[0];
  if (!first) return inputError(file, keyPath(base), data, 'invalid');
  const { path, issue, message } = leadIssue(first, base);
  const local = path.slice(base.length);
  if (issue.code === 'unrecognized_keys') {
    const [key = '?', ...more] = issue.keys;
    const why = more.length > 0 ? `unknown key; also unknown: ${more.join(', ')}` : 'unknown key';
    return inputError(file, keyPath([...path, key]), valueAt(data, [...local, key]), why);
  }
  return inputError(file, keyPath(path), valueAt(data, local), message);
}

/** Validates `data` with `schema`, or throws the schema error for `file`. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, file: string, base: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw schemaError(file, data, result.error, base);
}
