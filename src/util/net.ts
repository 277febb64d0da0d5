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
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
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
