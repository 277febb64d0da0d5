/** `setup` (provision tools now) and `stack` (run the embedded stack alone). */
import path from 'node:path';
import { isFileRef } from '../plan/files.ts';
import { ensureTools } from '../tools/index.ts';
import { spawnStack } from '../stack/spawn.ts';
import { choice, parse, num, str } from './args.ts';
import { FLAGS } from './flags.ts';
import { MAX_SCALE, MAX_TIME_SCALE } from './guard.ts';
import { builtInStackNames } from '../stack/stacks.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function setupCommand(argv: string[], io: Io): Promise<number> {
  parse(argv, FLAGS.setup);
  const tools = await ensureTools(['k6', 'prometheus', 'promtool', 'toxiproxy'], { log: (l) => io.err(`[setup] ${l}`) });
  for (const t of Object.values(tools)) io.out(`${t.name.padEnd(11)} ${t.version.padEnd(8)} ${t.origin.padEnd(11)} ${t.path}`);
  return EXIT.pass;
}

export async function stackCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values } = parse(argv, FLAGS.stack);
  const name = str(values, 'stack') ?? 'meqenet';
  const builtIn = Object.fromEntries(builtInStackNames().map((n) => [n, true]));
  const stack = await spawnStack({
    // The stack process runs in the project root: a module path is made absolute here.
    stack: isFileRef(name) ? path.resolve(name) : choice('--stack', name, builtIn),
    scale: num(values, 'scale', { min: 0, above: true, max: MAX_SCALE }) ?? 1,
    timeScale: num(values, 'time-scale', { min: 0, above: true, max: MAX_TIME_SCALE }) ?? 1,
    port: num(values, 'port', { integer: true, min: 0, max: 65535 }) ?? 8080,
    autoscale: false,
    onLog: (l) => io.err(l),
  });
  io.out(`embedded stack at ${stack.url} (metrics ${stack.url}/metrics); Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    signal?.addEventListener('abort', () => resolve());
    const t = setInterval(() => {
      if (!stack.alive()) {
        clearInterval(t);
        resolve();
      }
    }, 500);
  });
  await stack.stop();
  return EXIT.pass;
}
