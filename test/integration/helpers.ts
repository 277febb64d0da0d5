/** Shared by the integration tests: runs the CLI as a user would and reads the run folder. */
import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/paths.ts';
import type { Verdict } from '../../src/controller/types.ts';
import type { Plan } from '../../src/plan/types.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  runDir: string | null;
}

/** Runs `tsx src/cli/main.ts <args>` in its own process; `onStart` may signal it. */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; onSpawn?: (pid: number, stderr: () => string) => void } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/main.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (child.pid !== undefined) opts.onSpawn?.(child.pid, () => stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /run folder: (\S+)/.exec(stdout) ?? /run (\S+): profile/.exec(stderr);
      let runDir: string | null = null;
      if (m?.[1]) runDir = m[1].includes('/') ? path.resolve(PROJECT_ROOT, m[1]) : path.join(PROJECT_ROOT, 'reports', 'runs', m[1]);
      resolve({ code, stdout, stderr, runDir });
    });
  });
}

export async function readRun(runDir: string): Promise<{ plan: Plan; verdict: Verdict; files: string[] }> {
  const plan = JSON.parse(await readFile(path.join(runDir, 'plan.json'), 'utf8')) as Plan;
  const verdict = JSON.parse(await readFile(path.join(runDir, 'verdict.json'), 'utf8')) as Verdict;
  return { plan, verdict, files: (await readdir(runDir)).sort() };
}
