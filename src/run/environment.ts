/** What a sign-off records about where it ran: machine, tool versions, git revision. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../util/paths.ts';
import { ensureTool, type ToolName } from '../tools/index.ts';

const execFileP = promisify(execFile);

export interface Environment {
  host: string;
  os: string;
  cpus: number;
  memoryGiB: number;
  node: string;
  tools: Record<string, string>;
  git: { revision: string | null; dirty: boolean | null };
  at: string;
}

async function git(args: string[]): Promise<string | null> {
  try {
    return (await execFileP('git', args, { cwd: PROJECT_ROOT })).stdout.trim();
  } catch {
    return null;
  }
}

export async function describeEnvironment(tools: ToolName[] = ['k6', 'prometheus', 'toxiproxy']): Promise<Environment> {
  const versions: Record<string, string> = {};
  for (const t of tools) {
    try {
      const info = await ensureTool(t, { log: () => undefined });
      versions[t] = `${info.version} (${info.origin})`;
    } catch (err) {
      versions[t] = `unavailable: ${(err as Error).message}`;
    }
  }
  const status = await git(['status', '--porcelain']);
  return {
    host: os.hostname(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    tools: versions,
    git: { revision: await git(['rev-parse', 'HEAD']), dirty: status === null ? null : status.length > 0 },
    at: new Date().toISOString(),
  };
}
