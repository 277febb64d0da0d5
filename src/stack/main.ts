/**
 * Process entry point of the embedded stack:
 *
 *   tsx src/stack/main.ts --stack meqenet|path/to/stack.ts --scale 1 --time-scale 1 --port 0 \
 *     [--fault ignore:auth-cpu] [--no-autoscale] [--seed 1] [--host 127.0.0.1] [--control-stdin]
 *
 * The autoscaler obeys the stack module's trigger table resolved for the scale and time scale
 * (planTrigger), the same rows a run's plan judges.
 * Prints exactly one `READY http://127.0.0.1:<port>` line on stdout once listening; autoscaler
 * actions go to stderr. SIGINT / SIGTERM stop it cleanly (exit 0). Bad flags: one line on
 * stderr naming the flag and value, exit 2. Importable: `parseStackArgs` is unit-tested.
 * With --control-stdin it reads one JSON command per line from its parent:
 * `{"push":{"url":"http://127.0.0.1:9090/api/v1/write","intervalSeconds":1,"job":"stack"}}` writes
 * its samples into that Prometheus until Prometheus first scrapes it (push.ts).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { exitForError } from '../cli/exit-codes.ts';
import { InputError, formatValue } from '../errors.ts';
import { isFileRef } from '../plan/files.ts';
import { parseFault } from './faults.ts';
import { startStack, type RunningStack, type StackOptions } from './index.ts';
import { builtInStack, loadStack } from './stacks.ts';

export interface StackArgs {
  options: Omit<StackOptions, 'triggers' | 'log' | 'spec'>;
  /** Read JSON commands on stdin (the harness's spawnStack). */
  controlStdin: boolean;
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
        fault: { type: 'string', multiple: true },
        'no-autoscale': { type: 'boolean' },
        'control-stdin': { type: 'boolean' },
      },
    }));
  } catch (err) {
    // Node's message names the flag; keep its first sentence, on one line.
    const text = err instanceof Error ? err.message : String(err);
    throw new InputError((text.split('\n')[0] ?? text).split('. ')[0] ?? text);
  }
  const stack = values.stack;
  if (stack === undefined || stack.trim() === '') throw new InputError(`--stack: needs a built-in stack's name or a stack module's path (got ${formatValue(stack)})`);
  if (!isFileRef(stack)) builtInStack(stack, '--stack');
  const scale = number('scale', values.scale, (n) => n > 0, 'must be a number more than 0');
  const timeScale = number('time-scale', values['time-scale'], (n) => n > 0, 'must be a number more than 0');
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'must be a whole number 0..65535');
  const seed = number('seed', values.seed, Number.isInteger, 'must be a whole number');
  const options: StackArgs['options'] = {
    stack,
    ...(scale !== undefined ? { scale } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values['no-autoscale'] ? { autoscale: false } : {}),
    ...(values.fault ? { faults: values.fault.map(parseFault) } : {}),
  };
  return { options, controlStdin: values['control-stdin'] === true };
}

/** The one stdin command (see the header). */
const COMMAND = z.object({ push: z.object({ url: z.string(), intervalSeconds: z.number().positive(), job: z.string() }) });

/** One stdin command; anything else is reported on stderr and ignored. */
function command(line: string, stack: RunningStack, log: (l: string) => void): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    /* reported below */
  }
  const c = COMMAND.safeParse(parsed);
  if (!c.success) {
    log(`stack: stdin: not a command, ignored (got ${formatValue(line.slice(0, 200))})`);
    return;
  }
  stack.pushUntilScraped(c.data.push);
}

/** Runs until SIGINT / SIGTERM; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { options, controlStdin } = parseStackArgs(argv);
    await loadStack(options.stack, process.cwd(), '--stack');
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const stack = await startStack({ ...options, log });
    const control = controlStdin ? createInterface({ input: process.stdin }) : null;
    control?.on('line', (line) => line.trim() && command(line, stack, log));
    process.stdout.write(`READY ${stack.url}\n`);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    log(`stack: ${signal}, stopping`);
    control?.close();
    await stack.stop();
    return 0;
  } catch (err) {
    process.stderr.write(`stack: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
    return exitForError(err);
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
