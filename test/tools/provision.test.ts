/**
 * Tool provisioning from nothing: a fresh tools directory (SCALE_HARNESS_TOOLS_DIR), nothing on
 * PATH, and the pinned actionlint built with Go through zx; then found again without a build.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goBuildArgs, goModText } from '../../src/tools/gobuild.ts';
import { K6, TOXIPROXY } from '../../src/tools/versions.ts';
import { which } from '../../src/tools/index.ts';
import { ensureActionlint } from '../support/tools.ts';

const saved = { dir: process.env.SCALE_HARNESS_TOOLS_DIR, bin: process.env.ACTIONLINT_BIN, path: process.env.PATH, go: process.env.GO_BIN };
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tools-'));
  const go = process.env.GO_BIN ?? (await which('go'));
  if (!go) throw new Error('Go is needed to build the pinned tools: install Go 1.25+ or set GO_BIN');
  process.env.GO_BIN = go;
  process.env.SCALE_HARNESS_TOOLS_DIR = dir;
  delete process.env.ACTIONLINT_BIN;
  // Only system directories and Node's: no directory that could hold an actionlint.
  process.env.PATH = ['/usr/bin', '/bin', path.dirname(process.execPath)].join(path.delimiter);
});

afterAll(async () => {
  const restore = [['SCALE_HARNESS_TOOLS_DIR', saved.dir], ['ACTIONLINT_BIN', saved.bin], ['PATH', saved.path], ['GO_BIN', saved.go]] as const;
  for (const [k, v] of restore) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('go build of a pinned tool', () => {
  it('builds the pinned module with the module flag, trimmed paths and the tool’s ldflags', () => {
    expect(goBuildArgs(TOXIPROXY, '/b/toxiproxy.partial')).toEqual([
      'build',
      '-mod=mod',
      '-trimpath',
      '-ldflags=-X github.com/Shopify/toxiproxy/v2.Version=2.12.0',
      '-o',
      '/b/toxiproxy.partial',
      'github.com/Shopify/toxiproxy/v2/cmd/server',
    ]);
    expect(goBuildArgs(K6, '/b/k6.partial')).toEqual(['build', '-mod=mod', '-trimpath', '-o', '/b/k6.partial', 'go.k6.io/k6/v2']);
    expect(goModText(K6)).toBe('module scaleharness.local/build/k6\n\ngo 1.23\n\nrequire go.k6.io/k6/v2 v2.2.0\n');
  });

  it('provisions actionlint into an empty tools directory, then finds the build', async () => {
    const log: string[] = [];
    const first = await ensureActionlint((l) => log.push(l));
    expect(first).toEqual({ name: 'actionlint', path: path.join(dir, 'bin', 'actionlint'), version: '1.7.12', origin: 'provisioned' });
    expect(log[0]).toMatch(/^building actionlint v1\.7\.12 from github\.com\/rhysd\/actionlint with go version go\d/);
    const { stdout } = await promisify(execFile)(first.path, ['-version']);
    expect(stdout.split('\n')[0]).toBe('v1.7.12');
    expect(await readFile(path.join(dir, 'bin', 'actionlint.version'), 'utf8')).toBe('v1.7.12\n');
    const again = await ensureActionlint(() => undefined);
    expect(again).toEqual({ ...first, origin: 'built' });
  }, 600_000);
});
