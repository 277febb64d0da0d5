/** Engine detection and the container mode, with DOCKER_HOST pointing at a socket nobody serves. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEngine, pingDockerHost } from '../../src/containers/engine.ts';
import { containerMode, useContainers } from '../../src/containers/index.ts';
import { InputError, ToolError } from '../../src/errors.ts';

let dir = '';
const saved = { host: process.env.DOCKER_HOST, mode: process.env.SCALE_HARNESS_CONTAINERS };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'engine-'));
  process.env.DOCKER_HOST = `unix://${dir}/dead.sock`;
});

afterAll(async () => {
  if (saved.host === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = saved.host;
  if (saved.mode === undefined) delete process.env.SCALE_HARNESS_CONTAINERS;
  else process.env.SCALE_HARNESS_CONTAINERS = saved.mode;
  await rm(dir, { recursive: true, force: true });
});

describe('container engine detection', () => {
  it('a dead DOCKER_HOST socket is no engine, named in the reason', async () => {
    const r = await detectEngine(2000);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.why).toBe(`no container engine answers at DOCKER_HOST=unix://${dir}/dead.sock (ENOENT)`);
  });

  it('a tcp DOCKER_HOST where nothing listens is refused', async () => {
    expect(await pingDockerHost('tcp://127.0.0.1:1', 2000)).toBe('ECONNREFUSED');
  });

  it('--containers with no engine is a tool error (exit 4) with a how-to', async () => {
    const err = await useContainers(true, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(/^--containers: no container engine answers at DOCKER_HOST=unix:\/\/.*dead\.sock \(ENOENT\); start Docker/);
  });

  it('auto with no engine says so in one line and uses local processes', async () => {
    delete process.env.SCALE_HARNESS_CONTAINERS;
    const lines: string[] = [];
    expect(await useContainers(undefined, (l) => lines.push(l))).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^containers: no container engine answers at DOCKER_HOST=.*; using local processes, no Grafana$/);
  });

  it('off asks no engine and says nothing', async () => {
    const lines: string[] = [];
    expect(await useContainers(false, (l) => lines.push(l))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('a bad SCALE_HARNESS_CONTAINERS is an input error naming the value', async () => {
    process.env.SCALE_HARNESS_CONTAINERS = 'yes';
    const err = await useContainers(undefined, () => undefined).catch((e: unknown) => e);
    delete process.env.SCALE_HARNESS_CONTAINERS;
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('SCALE_HARNESS_CONTAINERS: must be auto, on or off (got "yes")');
  });
});

describe('container mode', () => {
  it('the flag wins over the environment; nothing set is auto', () => {
    expect(containerMode(true, 'off')).toBe('on');
    expect(containerMode(false, 'on')).toBe('off');
    expect(containerMode(undefined, 'on')).toBe('on');
    expect(containerMode(undefined, undefined)).toBe('auto');
    expect(containerMode(undefined, 'maybe')).toBeNull();
  });
});
