/**
 * The k6 scenarios send load only where the plan points: with the options every scenario gets
 * (scenarios/lib/plan.ts), real k6 does not follow a redirect; with k6's defaults it would.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTool } from '../../src/tools/index.ts';

const execFileP = promisify(execFile);
const script = path.join(import.meta.dirname, '..', 'fixtures', 'k6', 'redirect.ts');
let server: http.Server;
let url = '';
let followed = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/elsewhere') followed++;
    res.writeHead(req.url === '/start' ? 302 : 200, req.url === '/start' ? { location: `${url}/elsewhere` } : {});
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function k6(defaults: boolean): Promise<string> {
  const bin = (await ensureTool('k6', { log: () => undefined })).path;
  const r = await execFileP(bin, ['run', '--quiet', '--summary-mode=disabled', script], {
    env: { ...process.env, URL: url, DEFAULTS: defaults ? '1' : '0', K6_NO_USAGE_REPORT: 'true' },
    timeout: 60_000,
  });
  return r.stdout + r.stderr;
}

describe('k6 scenarios and redirects', () => {
  it('follow no redirect with the scenarios options', async () => {
    followed = 0;
    expect(await k6(false)).toContain('STATUS 302');
    expect(followed).toBe(0);
  });

  it("would follow it with k6's defaults (the control)", async () => {
    followed = 0;
    expect(await k6(true)).toContain('STATUS 200');
    expect(followed).toBe(1);
  });
});
