/** Lints .github/workflows/nightly.yml with actionlint and checks what the nightly job must do. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONLINT } from '../support/tools.ts';

const execFileP = promisify(execFile);
const WORKFLOW = '.github/workflows/nightly.yml';

function actionlintBin(): string {
  const bin = process.env.ACTIONLINT_BIN ?? resolve('.tools/bin/actionlint');
  if (!existsSync(bin)) {
    const { pkg, version } = ACTIONLINT.spec;
    throw new Error(
      `actionlint not found at ${bin}. Set ACTIONLINT_BIN, or build it: ` +
        `GOBIN=$PWD/.tools/bin go install ${pkg}@${version}`,
    );
  }
  return bin;
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

describe('nightly workflow', () => {
  it('passes actionlint', async () => {
    const bin = actionlintBin();
    const result = await execFileP(bin, ['-no-color', WORKFLOW]).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(result.out, `actionlint (${bin}) findings:\n${result.out}`).toBe('');
    expect(result.code).toBe(0);
  });

  it('runs nightly and on demand: checkout, Node 20, cached .tools, npm ci, test, gate, reports uploaded', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as {
      on: { schedule?: Array<{ cron: string }>; workflow_dispatch?: unknown };
      jobs: Record<string, { steps: Step[] }>;
    };
    expect(wf.on.schedule?.[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const uses = (prefix: string) => steps.find((s) => s.uses?.startsWith(prefix));
    const runIndex = (cmd: string) => steps.findIndex((s) => s.run?.split('\n').some((l) => l.trim() === cmd));

    expect(uses('actions/checkout@')).toBeDefined();
    expect(String(uses('actions/setup-node@')?.with?.['node-version'])).toBe('20');
    const cache = uses('actions/cache@');
    expect(cache?.with?.path).toBe('.tools');
    expect(String(cache?.with?.key)).toContain("hashFiles('src/tools/versions.ts', 'test/support/tools.ts')");
    const order = ['npm ci', 'npm test', 'npm run gate'].map(runIndex);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const upload = uses('actions/upload-artifact@');
    expect(upload?.with?.path).toBe('reports/runs');
    expect(upload?.if).toContain('!cancelled()');
  });
});

describe('nightly container job', () => {
  it('requires a Docker engine and runs the container tests against the real Grafana', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as { jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> };
    const job = wf.jobs.containers;
    expect(job?.env?.REQUIRE_DOCKER).toBe('1');
    const runs = (job?.steps ?? []).map((s) => s.run?.trim() ?? '');
    expect(runs).toContain('npm ci');
    expect(runs.findIndex((r) => r.startsWith('docker info'))).toBeLessThan(runs.indexOf('npx vitest run test/containers'));
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf('npx vitest run test/containers'));
  });

  it('keeps the gate on local processes', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as { jobs: Record<string, { env?: Record<string, string> }> };
    expect(wf.jobs.gate?.env?.SCALE_HARNESS_CONTAINERS).toBe('off');
  });
});
