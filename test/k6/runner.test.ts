import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k6Args, k6Env, readSummaries, segmentArgs, summaryPath, type K6RunOptions } from '../../src/k6/runner.ts';

const OPTS: K6RunOptions = {
  bin: '/opt/k6',
  script: 'scenarios/spike.ts',
  planFile: '/runs/r1/plan.json',
  runDir: '/runs/r1',
  runId: 'r1',
  remoteWriteUrl: 'http://127.0.0.1:9090/api/v1/write',
};

/** What every runner gets: remote write to Prometheus and the run id on every sample. */
const OUT = ['run', '--out', 'experimental-prometheus-rw', '--tag', 'testid=r1', '--tag'];

describe('k6 arguments', () => {
  it('runs one k6 with remote write, the run id and runner tags and a summary in the run folder', () => {
    expect(k6Args(OPTS, 1, 1)).toEqual([
      ...OUT,
      'runner=1',
      '--summary-export=/runs/r1/k6-summary.json',
      'scenarios/spike.ts',
    ]);
  });

  it('splits parallel runners by execution segments, one summary each', () => {
    expect(k6Args(OPTS, 2, 3)).toEqual([
      ...OUT,
      'runner=2',
      '--summary-export=/runs/r1/k6-summary-2.json',
      '--execution-segment=1/3:2/3',
      '--execution-segment-sequence=0,1/3,2/3,1',
      'scenarios/spike.ts',
    ]);
    expect(segmentArgs(1, 2)).toEqual(['--execution-segment=0:1/2', '--execution-segment-sequence=0,1/2,1']);
    expect(segmentArgs(2, 2)).toEqual(['--execution-segment=1/2:1', '--execution-segment-sequence=0,1/2,1']);
    expect(segmentArgs(1, 1)).toEqual([]);
    expect(summaryPath('/runs/r1', 3, 3)).toBe('/runs/r1/k6-summary-3.json');
  });

  it('passes the plan and native histograms in the environment; extra env wins', () => {
    expect(k6Env(OPTS)).toEqual({
      PLAN_FILE: '/runs/r1/plan.json',
      K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write',
      K6_FEATURES: 'native-histograms',
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      K6_NO_USAGE_REPORT: 'true',
      K6_NO_COLOR: 'true',
    });
    expect(k6Env({ ...OPTS, env: { K6_PROMETHEUS_RW_PUSH_INTERVAL: '5s', K6_WEB_DASHBOARD: 'false' } })).toMatchObject({
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '5s',
      K6_WEB_DASHBOARD: 'false',
    });
  });
});

describe('readSummaries', () => {
  let dir: string;
  const summary = (reqs: number, failedRate: number, iterations: number, dropped: number) =>
    JSON.stringify({ metrics: { http_reqs: { count: reqs }, http_req_failed: { value: failedRate }, iterations: { count: iterations }, dropped_iterations: { count: dropped } } });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'k6-summary-'));
    await writeFile(path.join(dir, 'k6-summary-1.json'), summary(300, 0.01, 300, 2));
    await writeFile(path.join(dir, 'k6-summary-2.json'), summary(100, 0.05, 100, 0));
    await writeFile(path.join(dir, 'broken.json'), '{"metrics": {"http_reqs": ');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sums the runners and weighs the failure rate by requests', async () => {
    const s = await readSummaries([path.join(dir, 'k6-summary-1.json'), path.join(dir, 'k6-summary-2.json')]);
    // (300 x 0.01 + 100 x 0.05) / 400 = 8 / 400.
    expect(s).toEqual({ httpReqs: 400, iterations: 400, droppedIterations: 2, failedRate: 0.02, unreadable: [] });
  });

  it('lists a missing or malformed summary by file instead of skipping it', async () => {
    const missing = path.join(dir, 'k6-summary-3.json');
    const broken = path.join(dir, 'broken.json');
    const s = await readSummaries([path.join(dir, 'k6-summary-1.json'), missing, broken]);
    expect(s.httpReqs).toBe(300);
    expect(s.unreadable.map((u) => u.file)).toEqual([missing, broken]);
    expect(s.unreadable[0]?.reason).toMatch(/^ENOENT: no such file or directory/);
    expect(s.unreadable[1]?.reason).toMatch(/JSON/);
  });
});
