/**
 * Runs the embedded stack as its own process (src/stack/main.ts), so that its event loop does
 * not share a core with the controller, and waits for its `READY <url>` line.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { ToolError } from '../errors.ts';
import { PROJECT_ROOT } from '../util/paths.ts';
import { spawnChild, stopChild } from '../util/process.ts';

export interface StackProcessOptions {
  /** A built-in stack's name or a stack module's path (the plan's `stackRef`). */
  stack: string;
  scale: number;
  timeScale: number;
  autoscale?: boolean;
  /** Fault switches, as `kind:trigger[:n]`. */
  faults?: string[];
  port?: number;
  onLog?: (line: string) => void;
}

export interface StackProcess {
  url: string;
  /** host:port, for Prometheus scrape configs. */
  address: string;
  alive(): boolean;
  /** Exit code once the process has ended unexpectedly. */
  exitInfo(): string | null;
  /**
   * Asks the stack to remote-write its samples (labelled `job` and `instance` = `address`) into
   * a Prometheus that scrapes it under that job, until that Prometheus first scrapes it.
   */
  pushUntilScraped(url: string, intervalSeconds: number, job: string): void;
  stop(): Promise<void>;
}

export async function spawnStack(opts: StackProcessOptions): Promise<StackProcess> {
  const require = createRequire(import.meta.url);
  const tsxLoader = require.resolve('tsx');
  const args = [
    '--import',
    pathToFileURL(tsxLoader).href,
    path.join(PROJECT_ROOT, 'src', 'stack', 'main.ts'),
    '--stack',
    opts.stack,
    '--scale',
    String(opts.scale),
    '--time-scale',
    String(opts.timeScale),
    '--port',
    String(opts.port ?? 0),
    '--control-stdin',
  ];
  if (opts.autoscale === false) args.push('--no-autoscale');
  for (const f of opts.faults ?? []) args.push('--fault', f);
  const child = spawnChild('stack', process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  // A command to a stack that has just died: its exit is reported, not this write.
  child.stdin!.on('error', () => undefined);
  let exited: string | null = null;
  let stopping = false;
  let stderrTail = '';
  child.on('exit', (code, signal) => {
    exited = `exit code ${code ?? 'none'}${signal ? `, signal ${signal}` : ''}`;
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail = `${stderrTail}\n${line}`.slice(-2000);
    opts.onLog?.(`[stack] ${line}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ToolError(`embedded stack did not start within 20 s: ${stderrTail.trim().split('\n').pop() ?? ''}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^READY (http:\/\/\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (line.trim()) opts.onLog?.(`[stack] ${line}`);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new ToolError(`embedded stack exited before it was ready (${exited}): ${stderrTail.trim().split('\n').pop() ?? ''}`));
    });
  }).catch((err: unknown) => {
    if (exited === null) child.kill('SIGKILL');
    throw err;
  });
  const u = new URL(url);
  return {
    url,
    address: `${u.hostname}:${u.port}`,
    alive: () => exited === null,
    exitInfo: () => (stopping ? null : exited),
    pushUntilScraped: (remoteWriteUrl, intervalSeconds, job) => {
      if (exited === null) child.stdin!.write(`${JSON.stringify({ push: { url: remoteWriteUrl, intervalSeconds, job } })}\n`);
    },
    stop: async () => {
      stopping = true;
      child.stdin!.end();
      if (exited !== null) return;
      await stopChild(child);
    },
  };
}
