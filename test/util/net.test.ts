import { describe, expect, it } from 'vitest';
import { assertAllowed, DEFAULT_ALLOW, hostAllowed } from '../../src/util/net.ts';
import { chunkRange } from '../../src/metrics/client.ts';

describe('allow-list', () => {
  it('allows loopback by default and nothing else', () => {
    expect(hostAllowed('127.0.0.1', DEFAULT_ALLOW)).toBe(true);
    expect(hostAllowed('127.45.2.9', DEFAULT_ALLOW)).toBe(true);
    expect(hostAllowed('localhost', DEFAULT_ALLOW)).toBe(true);
    expect(hostAllowed('::1', DEFAULT_ALLOW)).toBe(true);
    expect(hostAllowed('10.0.0.1', DEFAULT_ALLOW)).toBe(false);
    expect(hostAllowed('128.0.0.1', DEFAULT_ALLOW)).toBe(false);
    expect(hostAllowed('api.meqenet.et', DEFAULT_ALLOW)).toBe(false);
  });
  it('accepts CIDR and names added by the user', () => {
    expect(hostAllowed('10.1.2.3', [...DEFAULT_ALLOW, '10.1.0.0/16'])).toBe(true);
    expect(hostAllowed('staging.example', [...DEFAULT_ALLOW, 'staging.example'])).toBe(true);
  });
  it('refuses a target off the list with a one-line error naming the flag and host', () => {
    expect(() => assertAllowed('http://api.meqenet.et/', DEFAULT_ALLOW)).toThrow(/^--target: host "api.meqenet.et" is not on the allow-list/);
    expect(() => assertAllowed('not a url', DEFAULT_ALLOW)).toThrow('--target: not a URL (got "not a url")');
  });
});

describe('range chunking', () => {
  it('never asks for more than 11,000 points per query and covers the range', () => {
    const chunks = chunkRange(0, 30_000, 1);
    for (const [a, b] of chunks) expect(b - a + 1).toBeLessThanOrEqual(11_000);
    expect(chunks[0]![0]).toBe(0);
    expect(chunks.at(-1)![1]).toBe(30_000);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]![0]).toBe(chunks[i - 1]![1] + 1);
    expect(chunkRange(0, 100, 1)).toEqual([[0, 100]]);
  });
});
