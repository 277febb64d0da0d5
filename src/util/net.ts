/** Loopback helpers: free ports and the allow-list of hosts load may be sent to. */
import net from 'node:net';
import { InputError } from '../errors.ts';

/** Asks the kernel for a free TCP port on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until `url` answers 2xx, or throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (isAlive && !isAlive()) throw new Error(`process exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/** The default allow-list: loopback only (127.0.0.0/8, ::1, localhost). */
export const DEFAULT_ALLOW = ['127.0.0.0/8', '::1', 'localhost'];

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** True when `host` is covered by an entry: an exact name, an IPv4 address, or an IPv4 CIDR. */
export function hostAllowed(host: string, allow: string[]): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const entry of allow) {
    const e = entry.toLowerCase();
    if (e === h) return true;
    const [base, bits] = e.split('/');
    const hi = ipv4ToInt(h);
    const bi = base ? ipv4ToInt(base) : null;
    if (hi !== null && bi !== null) {
      const n = bits === undefined ? 32 : Number(bits);
      const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
      if (((hi & mask) >>> 0) === ((bi & mask) >>> 0)) return true;
    }
  }
  return false;
}

/** Throws an InputError unless `url`'s host is on the allow-list. */
export function assertAllowed(url: string, allow: string[], key = '--target'): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new InputError(`${key}: not a URL (got ${JSON.stringify(url)})`);
  }
  if (!hostAllowed(host, allow)) {
    throw new InputError(
      `${key}: host ${JSON.stringify(host)} is not on the allow-list (${allow.join(', ')}); add it with --allow-host if load may really be sent there`,
    );
  }
}

/** A redirect the harness will not follow: its Location is not on the allow-list. */
export class RedirectRefusedError extends Error {
  readonly location: string;
  constructor(from: string, location: string, why: string) {
    super(`${from} redirects to ${location}: ${why}; not followed`);
    this.name = 'RedirectRefusedError';
    this.location = location;
  }
}

/** Most redirects one request follows. */
export const MAX_REDIRECTS = 5;

/**
 * `fetch`, following redirects only to allow-listed hosts: each Location is checked before
 * anything connects to it (fetch's own `follow` would go anywhere).
 */
export async function fetchAllowed(url: string, allow: string[], init: RequestInit = {}): Promise<Response> {
  let current = url;
  let method = init.method ?? 'GET';
  let body = init.body;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { ...init, method, body, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || location === null) return res;
    await res.body?.cancel();
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RedirectRefusedError(current, location, 'not a URL');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new RedirectRefusedError(current, next.href, `${next.protocol} is not http`);
    if (!hostAllowed(next.hostname, allow)) throw new RedirectRefusedError(current, next.href, `host ${JSON.stringify(next.hostname)} is not on the allow-list (${allow.join(', ')})`);
    if (hop >= MAX_REDIRECTS) throw new RedirectRefusedError(current, next.href, `more than ${MAX_REDIRECTS} redirects`);
    // As fetch does: 303, and 301/302 after a POST, continue as a GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = null;
    }
    current = next.href;
  }
}

/** Fails with an input error naming the flag when `url` does not answer, or redirects off the allow-list. */
export async function assertReachable(url: string, flag: string, allow: string[]): Promise<void> {
  try {
    const res = await fetchAllowed(url, allow, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch (err) {
    if (err instanceof RedirectRefusedError) throw new InputError(`${flag}: ${err.message}`);
    const c = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (err as Error).message;
    throw new InputError(`${flag}: ${url} is unreachable (${cause})`);
  }
}
