/** `setup` (provision tools now) and `stack` (run the embedded stack alone). */
import path from 'node:path';
import { isFileRef } from '../plan/files.ts';
import { ensureTools } from '../tools/index.ts';
import { spawnStack } from '../stack/spawn.ts';
import { parse, num, str } from './args.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function setupCommand(argv: string[], io: Io): Promise<number> {
  parse(argv, {});
  const tools = await ensureTools(['k6', 'prometheus', 'promtool', 'toxiproxy'], { log: (l) => io.err(`[setup] ${l}`) });
  for (const t of Object.values(tools)) io.out(`${t.name.padEnd(11)} ${t.version.padEnd(8)} ${t.origin.padEnd(11)} ${t.path}`);
  return EXIT.pass;
}

export async function stackCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values } = parse(argv, { stack: { type: 'string' }, scale: { type: 'string' }, 'time-scale': { type: 'string' }, port: { type: 'string' } });
  const name = str(values, 'stack') ?? 'meqenet';
  const stack = await spawnStack({
    // The stack process runs in the project root: a module path is made absolute here.
    stack: isFileRef(name) ? path.resolve(name) : name,
    scale: num(values, 'scale', { positive: true }) ?? 1,
    timeScale: num(values, 'time-scale', { positive: true }) ?? 1,
    port: num(values, 'port', { integer: true }) ?? 8080,
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
