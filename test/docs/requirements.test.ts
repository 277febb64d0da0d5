/**
 * README's requirements against what the pinned tools themselves declare: the `go` line of each
 * pinned Go module's go.mod (read from the Go module cache, fetched there by `go list -m` if
 * absent) and package.json's Node engine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { K6, TOXIPROXY } from '../../src/tools/versions.ts';
import { ACTIONLINT as ACTIONLINT_TOOL } from '../support/tools.ts';

const ACTIONLINT = ACTIONLINT_TOOL.spec;

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

/** The `go` directive of a module's go.mod, e.g. `1.25.0`. */
function goLine(module: string, version: string): string {
  const json = execFileSync('go', ['list', '-m', '-json', `${module}@${version}`], { encoding: 'utf8', cwd: '/', timeout: 120_000 });
  const file = (JSON.parse(json) as { GoMod: string }).GoMod;
  const m = /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(readFileSync(file, 'utf8'));
  if (!m?.[1]) throw new Error(`${file}: no go line`);
  return m[1];
}

const minor = (v: string): [number, number] => {
  const [a, b] = v.split('.').map(Number);
  return [a ?? 0, b ?? 0];
};

describe('README requirements', () => {
  it('names the Go version the pinned Go tools need (the highest of their go.mod lines)', () => {
    const lines = [K6, TOXIPROXY, ACTIONLINT].map((t) => goLine(t.module, t.version));
    // The pinned k6 v2.2.0 declares go 1.25.0 (checked by hand), the highest of the three.
    expect(lines[0]).toBe('1.25.0');
    const need = lines.map(minor).sort((x, y) => y[0] - x[0] || y[1] - x[1])[0]!;
    const said = /\bGo (\d+)\.(\d+)\+/.exec(README);
    expect(said, 'README states "Go X.Y+"').not.toBeNull();
    expect([Number(said![1]), Number(said![2])]).toEqual(need);
  });

  it('names the Node version package.json requires', () => {
    const engine = /^>=(\d+\.\d+)$/.exec(PKG.engines.node)?.[1];
    expect(engine).toBe('20.19');
    expect(README).toContain(`Node ${engine}+`);
  });
});
