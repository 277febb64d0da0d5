import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { checkManifests } from '../../src/export/check.ts';
import { CONFIGMAP_MAX_BYTES, k6ArchiveConfigMap, k6OperatorTestRun } from '../../src/export/k6-operator.ts';
import { loadProfile } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { SCENARIOS_DIR, TOOLS_BIN } from '../../src/util/paths.ts';

const K6 = process.env.K6_BIN ?? path.join(TOOLS_BIN, 'k6');

describe('k6OperatorTestRun', () => {
  it('writes a TestRun with the script ConfigMap, parallelism, remote-write arguments and runner env', () => {
    const text = k6OperatorTestRun({ runId: '20261122-0200-spike', parallelism: 4, configMapName: 'spike-archive', file: 'archive.tar', args: ['--env', 'PLAN_FILE=plan.json'], namespace: 'load' });
    expect(checkManifests(text)).toEqual([]);
    const doc = parse(text) as Record<string, unknown>;
    expect(doc).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'k6-20261122-0200-spike', namespace: 'load' },
      spec: {
        parallelism: 4,
        script: { configMap: { name: 'spike-archive', file: 'archive.tar' } },
        arguments: '--out experimental-prometheus-rw --env PLAN_FILE=plan.json',
        cleanup: 'post',
        runner: {
          image: expect.stringMatching(/^grafana\/k6:\d+\.\d+\.\d+$/),
          env: [
            { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: expect.stringMatching(/^http:\/\/.+\/api\/v1\/write$/) },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'K6_TAGS', value: 'testid:20261122-0200-spike,runner:$(POD_NAME)' },
            { name: 'K6_FEATURES', value: 'native-histograms' },
          ],
        },
      },
    });
  });

  it('makes a Kubernetes name of any run id and takes a remote-write URL', () => {
    const doc = parse(k6OperatorTestRun({ runId: 'Spike_2026.11', parallelism: 1, configMapName: 'a', file: 'a.js', remoteWriteUrl: 'http://p:9090/api/v1/write' })) as {
      metadata: { name: string };
      spec: { runner: { env: Array<{ value: string }> } };
    };
    expect(doc.metadata.name).toBe('k6-spike-2026-11');
    expect(() => k6OperatorTestRun({ runId: 'a:b', parallelism: 1, configMapName: 'a', file: 'a.js' })).toThrow(`runId: must be letters, digits, '.', '_' or '-' (got "a:b")`);
    expect(() => k6OperatorTestRun({ runId: 'a', parallelism: 1, configMapName: 'a', file: 'a.js', args: ['--tag', 'x=1'] })).toThrow('args: --tag would replace K6_TAGS');
    expect(doc.spec.runner.env[0]!.value).toBe('http://p:9090/api/v1/write');
  });

  it('refuses bad parallelism and arguments that k6-operator would split', () => {
    const base = { runId: 'r', configMapName: 'c', file: 'f.tar' };
    expect(() => k6OperatorTestRun({ ...base, parallelism: 0 })).toThrow('parallelism: must be a whole number of runner pods, 1 or more (got 0)');
    expect(() => k6OperatorTestRun({ ...base, parallelism: 1.5 })).toThrow(InputError);
    expect(() => k6OperatorTestRun({ ...base, parallelism: 1, args: ['--env', 'A=two words'] })).toThrow('args: each argument must be one token without spaces, quotes or \'$\' (got "A=two words")');
  });
});

describe('k6ArchiveConfigMap', () => {
  it('carries the archive as base64 binaryData, byte for byte', () => {
    const archive = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    const text = k6ArchiveConfigMap({ name: 'spike-archive', archive, namespace: 'load' });
    expect(checkManifests(text)).toEqual([]);
    const doc = parse(text) as { apiVersion: string; kind: string; metadata: { name: string }; binaryData: Record<string, string> };
    expect([doc.apiVersion, doc.kind, doc.metadata.name, Object.keys(doc.binaryData)]).toEqual(['v1', 'ConfigMap', 'spike-archive', ['archive.tar']]);
    expect(Buffer.from(doc.binaryData['archive.tar']!, 'base64').equals(Buffer.from(archive))).toBe(true);
  });

  it('accepts exactly 1 MiB and refuses one byte more, naming the size', () => {
    expect(() => k6ArchiveConfigMap({ name: 'a', archive: new Uint8Array(CONFIGMAP_MAX_BYTES) })).not.toThrow();
    expect(() => k6ArchiveConfigMap({ name: 'a', archive: new Uint8Array(CONFIGMAP_MAX_BYTES + 1) })).toThrow(
      /^k6 archive archive\.tar is 1048577 bytes \(1\.00 MiB\); a ConfigMap holds at most 1048576 bytes \(1 MiB\)/,
    );
    expect(() => k6ArchiveConfigMap({ name: 'a', archive: new Uint8Array(1_500_000) })).toThrow(/1500000 bytes \(1\.43 MiB\)/);
  });

  it('wraps a real `k6 archive` of the spike scenario with its plan, well under the limit', async () => {
    if (!existsSync(K6)) throw new Error(`k6 not found at ${K6}: run npm run setup or set K6_BIN`);
    const dir = await mkdtemp(path.join(tmpdir(), 'scale-harness-archive-'));
    try {
      const { profile, file } = await loadProfile('spike');
      const planFile = path.join(dir, 'plan.json');
      await writeFile(planFile, JSON.stringify(resolvePlan(profile, { runId: 'k8s-1', file, targetUrl: 'http://gateway:8080', quick: true })));
      const tar = path.join(dir, 'archive.tar');
      await promisify(execFile)(K6, ['archive', '--env', `PLAN_FILE=${planFile}`, '-O', tar, path.join(SCENARIOS_DIR, 'spike.ts')], { timeout: 60_000 });
      const archive = await readFile(tar);
      const text = k6ArchiveConfigMap({ name: 'spike-archive', archive });
      expect(checkManifests(text)).toEqual([]);
      expect(archive.length).toBeLessThan(CONFIGMAP_MAX_BYTES / 4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
