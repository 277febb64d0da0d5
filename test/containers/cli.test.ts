/** `run --containers` where no engine answers: exit 4, one line with a how-to, nothing started. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../integration/helpers.ts';

describe('run --containers without an engine', () => {
  it('stops with exit code 4 and a one-line how-to before any run folder exists', async () => {
    const r = await runCli(['run', 'spike', '--quick', '--containers'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, timeoutMs: 60_000 });
    expect(r.code).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('--containers'))).toEqual([
      'scale-harness: --containers: no container engine answers at DOCKER_HOST=unix:///nonexistent/docker.sock (ENOENT); ' +
        'start Docker (or Podman with its Docker-compatible socket) and check `docker info`, or set DOCKER_HOST; without --containers the harness uses local processes',
    ]);
    expect(r.runDir).toBeNull();
  });
});
