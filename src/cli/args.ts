/** Flag parsing shared by the commands: strict (unknown flags are errors), typed, one-line errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.ts';
import { toSeconds } from '../plan/schema.ts';

export type Flags = Record<string, string | boolean | string[] | undefined>;

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Flags; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Flags, positionals: r.positionals };
  } catch (err) {
    throw new InputError((err as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function num(flags: Flags, name: string, opts: { positive?: boolean; integer?: boolean } = {}): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const ok = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(n) && (!opts.positive || n > 0) && (!opts.integer || Number.isInteger(n));
  if (!ok) {
    const want = opts.integer ? 'a whole number' : 'a number';
    throw new InputError(`--${name}: must be ${opts.positive ? `${want} above 0` : want} (got ${JSON.stringify(raw)})`);
  }
  return n;
}

export function duration(flags: Flags, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const s = String(raw);
  const v = /^\d+(\.\d+)?$/.test(s) ? Number(s) : /^\d+(\.\d+)?(ms|s|m|h)$/.test(s) ? toSeconds(s) : NaN;
  if (!(v > 0)) throw new InputError(`--${name}: must be a duration above 0 such as 90s, 5m or 2h (got ${JSON.stringify(s)})`);
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

export const RUN_FLAGS = {
  quick: { type: 'boolean' },
  duration: { type: 'string' },
  scale: { type: 'string' },
  'time-scale': { type: 'string' },
  target: { type: 'string' },
  prometheus: { type: 'string' },
  mapping: { type: 'string' },
  namespace: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  parallel: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'no-autoscale': { type: 'boolean' },
  holiday: { type: 'string' },
  year: { type: 'string' },
  'grafana-url': { type: 'string' },
  'results-url': { type: 'string' },
  containers: { type: 'boolean' },
  'no-containers': { type: 'boolean' },
  'update-baseline': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
