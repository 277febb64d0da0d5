/**
 * Errors the harness reports to people. Each kind maps to one exit code in src/cli; library
 * code throws or returns these and never exits.
 */
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
