/**
 * Process entry point of the embedded stack:
 *
 *   tsx src/stack/main.ts --stack meqenet --scale 1 --time-scale 1 --port 0 \
 *     [--triggers-file plan.json] [--fault ignore:auth-cpu] [--no-autoscale] [--seed 1] [--host 127.0.0.1]
 *
 * Prints exactly one `READY http://127.0.0.1:<port>` line on stdout once listening; autoscaler
 * actions go to stderr. SIGINT / SIGTERM stop it cleanly (exit 0). Bad flags: one line on
 * stderr naming the flag and value, exit 2. Importable: `parseStackArgs` is unit-tested.
 */
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { HarnessError, InputError, formatValue } from '../errors.ts';
import { SignalSchema, StackNameSchema, TriggerActionSchema } from '../plan/schema.ts';
import type { PlanTrigger } from '../plan/types.ts';
import { parseFault } from './faults.ts';
import { startStack, type StackOptions } from './index.ts';

export interface StackArgs {
  options: Omit<StackOptions, 'triggers' | 'log' | 'spec'>;
  /** A plan.json whose `.triggers` configure the autoscaler. */
  triggersFile?: string;
}

function number(flag: string, text: string | undefined, check: (n: number) => boolean, why: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InputError(`--${flag}: ${why} (got ${formatValue(text)})`);
  return n;
}

/** Parses the flags; throws an InputError naming the flag and its value. */
export function parseStackArgs(argv: string[]): StackArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: 'string' },
        scale: { type: 'string' },
        'time-scale': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        'triggers-file': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'no-autoscale': { type: 'boolean' },
      },
    }));
  } catch (err) {
    // Node's message names the flag; keep its first sentence, on one line.
    const text = err instanceof Error ? err.message : String(err);
    throw new InputError((text.split('\n')[0] ?? text).split('. ')[0] ?? text);
  }
  const stack = StackNameSchema.safeParse(values.stack);
  if (!stack.success) throw new InputError(`--stack: must be meqenet or reloop (got ${formatValue(values.stack)})`);
  const scale = number('scale', values.scale, (n) => n > 0, 'must be a number more than 0');
  const timeScale = number('time-scale', values['time-scale'], (n) => n > 0, 'must be a number more than 0');
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'must be a whole number 0..65535');
  const seed = number('seed', values.seed, Number.isInteger, 'must be a whole number');
  const options: StackArgs['options'] = {
    stack: stack.data,
    ...(scale !== undefined ? { scale } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values['no-autoscale'] ? { autoscale: false } : {}),
    ...(values.fault ? { faults: values.fault.map(parseFault) } : {}),
  };
  const file = values['triggers-file'];
  if (file !== undefined && file.trim() === '') throw new InputError(`--triggers-file: needs a path (got ${formatValue(file)})`);
  return { options, ...(file !== undefined ? { triggersFile: file } : {}) };
}

const PlanTriggerSchema = z.object({
  id: z.string(),
  service: z.string(),
  signal: SignalSchema,
  route: z.string().optional(),
  percentile: z.number().gt(0).lt(100),
  queue: z.string().optional(),
  op: z.enum(['>', '<']),
  threshold: z.number().nonnegative(),
  forSeconds: z.number().nonnegative(),
  forWallSeconds: z.number().nonnegative(),
  action: TriggerActionSchema,
  minReplicas: z.number().int().positive(),
  maxReplicas: z.number().int().positive(),
  expect: z.enum(['fire', 'quiet', 'any']),
  source: z.string(),
});

/** The `.triggers` of a plan.json; throws an InputError naming the file and key. */
export async function readTriggersFile(file: string): Promise<PlanTrigger[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(`--triggers-file: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = z.object({ triggers: z.array(PlanTriggerSchema) }).safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join('.') || '(root)';
    throw new InputError(`${file}: ${key}: ${issue?.message ?? 'invalid'} (got ${formatValue(issue && 'input' in issue ? issue.input : undefined)})`);
  }
  return parsed.data.triggers.map(({ route, queue, ...t }) => ({ ...t, ...(route !== undefined ? { route } : {}), ...(queue !== undefined ? { queue } : {}) }));
}

/** Runs until SIGINT / SIGTERM; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { options, triggersFile } = parseStackArgs(argv);
    const triggers = triggersFile !== undefined ? await readTriggersFile(triggersFile) : undefined;
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const stack = await startStack({ ...options, ...(triggers ? { triggers } : {}), log });
    process.stdout.write(`READY ${stack.url}\n`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    log(`stack: ${signal}, stopping`);
    await stack.stop();
    return 0;
  } catch (err) {
    if (err instanceof HarnessError) {
      process.stderr.write(`stack: ${err.message}\n`);
      return err.kind === 'input' ? 2 : 4;
    }
    process.stderr.write(`stack: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
