/** Flag parsing shared by the commands: strict (unknown flags are errors), typed, bounded, one-line errors. */
import os from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, formatValue } from '../errors.ts';
import { toSeconds } from '../plan/schema.ts';
import type { FlagTable } from './flags.ts';

export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * A value that starts with a dash (`--scale -1`) is the flag's value unless it is a flag of
 * this command: node's parser would call it "ambiguous" without naming it.
 */
function joinDashValues(argv: string[], table: FlagTable): string[] {
  const known = new Set(Object.entries(table).flatMap(([n, f]) => [`--${n}`, ...(f.short ? [`-${f.short}`] : [])]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const spec = a.startsWith('--') && !a.includes('=') ? table[a.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && next.startsWith('-') && next !== '--') {
      if (known.has(next.split('=')[0]!)) throw new InputError(`${a}: needs a value (got the flag ${next})`);
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * A flag that takes one value, given twice (`--year -1 --year 2027`), is an error: node's parser
 * would keep the last one and hide the other, which a reader of a CI log would take as applied.
 */
function refuseRepeats(tokens: ReturnType<typeof parseArgs>['tokens'], table: FlagTable): void {
  const seen = new Map<string, string>();
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || table[t.name]?.type !== 'string' || table[t.name]?.multiple) continue;
    const value = t.value ?? '';
    const first = seen.get(t.name);
    if (first !== undefined) throw new InputError(`--${t.name}: given twice (${formatValue(first)}, then ${formatValue(value)}); it takes one value`);
    seen.set(t.name, value);
  }
}

export function parse(argv: string[], table: FlagTable): { values: Flags; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, f] of Object.entries(table)) options[name] = { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) };
  try {
    const r = parseArgs({ args: joinDashValues(argv, table), options, allowPositionals: true, strict: true, tokens: true });
    refuseRepeats(r.tokens, table);
    return { values: r.values as Flags, positionals: r.positionals };
  } catch (err) {
    if (err instanceof InputError) throw err;
    const msg = (err as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, '').replace(/\. To specify a positional argument.*$/, '');
    throw new InputError(msg.startsWith('Unknown option') ? `${msg}: not a flag of this command (--help lists them)` : msg);
  }
}

export interface NumBounds {
  integer?: boolean;
  /** Smallest allowed value (inclusive unless `above`). */
  min?: number;
  /** The value must be more than `min`. */
  above?: boolean;
  max?: number;
  /** Why `max` is the bound, for the message. */
  maxWhy?: string;
}

function boundText(b: NumBounds): string {
  const what = b.integer ? 'a whole number' : 'a number';
  const low = b.min === undefined ? '' : b.above ? ` above ${b.min}` : ` of at least ${b.min}`;
  const high = b.max === undefined ? '' : `${low ? ' and' : ''} at most ${b.max}${b.maxWhy ? ` (${b.maxWhy})` : ''}`;
  return `${what}${low}${high}`;
}

export function num(flags: Flags, name: string, b: NumBounds = {}): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const ok =
    typeof raw === 'string' &&
    raw.trim() !== '' &&
    Number.isFinite(n) &&
    (!b.integer || Number.isInteger(n)) &&
    (b.min === undefined || (b.above ? n > b.min : n >= b.min)) &&
    (b.max === undefined || n <= b.max);
  if (!ok) throw new InputError(`--${name}: must be ${boundText(b)} (got ${formatValue(raw)})`);
  return n;
}

/** Longest `--duration`, s: a week of load at time scale 1. */
export const MAX_DURATION_SECONDS = 7 * 86_400;

export function duration(flags: Flags, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const s = String(raw);
  const v = /^\d+(\.\d+)?$/.test(s) ? Number(s) : /^\d+(\.\d+)?(ms|s|m|h)$/.test(s) ? toSeconds(s) : NaN;
  if (!(v > 0) || v > MAX_DURATION_SECONDS) {
    throw new InputError(`--${name}: must be a duration above 0 and at most 168h (a week) such as 90s, 5m or 2h (got ${formatValue(s)})`);
  }
  return v;
}

export function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(flags: Flags, name: string): string[] {
  const v = flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/** Checks `value` against a closed list (own keys only: `toString` is not a choice). */
export function choice<T extends string>(flag: string, value: string, choices: Record<T, unknown>): T {
  if (!Object.hasOwn(choices, value)) throw new InputError(`${flag}: must be one of ${Object.keys(choices).join(', ')} (got ${formatValue(value)})`);
  return value as T;
}

/** Memory one k6 process may take under load, bytes (bench/: ~300 MiB at 2,000 req/s). */
const K6_MEMORY_BYTES = 512 * 2 ** 20;

/** The most k6 processes this machine holds: one per core, and 512 MiB of free memory each. */
export function parallelBound(): { max: number; why: string } {
  const cores = os.availableParallelism();
  const free = os.freemem();
  const max = Math.max(1, Math.min(cores, Math.floor(free / K6_MEMORY_BYTES)));
  return { max, why: `this machine has ${cores} cores and ${(free / 2 ** 30).toFixed(1)} GiB free memory: one k6 per core, 512 MiB each` };
}

export function parallel(flags: Flags): number | undefined {
  const b = parallelBound();
  return num(flags, 'parallel', { integer: true, min: 1, max: b.max, maxWhy: b.why });
}

/** Holiday and calendar years the harness computes. */
export function year(flags: Flags): number | undefined {
  return num(flags, 'year', { integer: true, min: 1900, max: 2200 });
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
