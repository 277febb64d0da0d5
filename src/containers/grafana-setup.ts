/**
 * Provisions a fresh Grafana through its HTTP API: a service-account token (made with the admin
 * password), the Prometheus datasource and the generated dashboards. The password and the token
 * travel only in the Authorization header; errors carry status and Grafana's message.
 */
import { parse } from 'yaml';
import { buildDashboards, type BuiltDashboard } from '../grafana/dashboards.ts';
import { GrafanaApiError, GrafanaClient, redact } from '../grafana/annotations.ts';
import { provisioningFiles } from '../grafana/provisioning.ts';

type Auth = { basic: { user: string; password: string } } | { token: string };

function authHeader(auth: Auth): string {
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.basic.user}:${auth.basic.password}`).toString('base64')}`;
}

function secret(auth: Auth): string {
  return 'token' in auth ? auth.token : auth.basic.password;
}

/** POSTs JSON to Grafana and returns the JSON object it answers; throws GrafanaApiError otherwise. */
export async function grafanaPost(base: string, path: string, auth: Auth, body: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { authorization: authHeader(auth), 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new GrafanaApiError('POST', path, 0, redact(`${(err as Error).message} at ${base}`, secret(auth)));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the text goes into the error below
  }
  const obj = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  if (!res.ok) {
    const message = typeof obj.message === 'string' ? obj.message : text.slice(0, 300) || res.statusText;
    throw new GrafanaApiError('POST', path, res.status, redact(message, secret(auth)));
  }
  return obj;
}

/** `POST /api/serviceaccounts` (role Admin), then `POST /api/serviceaccounts/:id/tokens`; returns the token. */
export async function createServiceAccountToken(base: string, admin: { user: string; password: string }, name: string): Promise<string> {
  const auth = { basic: admin };
  const account = await grafanaPost(base, '/api/serviceaccounts', auth, { name, role: 'Admin', isDisabled: false });
  if (typeof account.id !== 'number') throw new GrafanaApiError('POST', '/api/serviceaccounts', 200, 'no service-account id in the answer');
  const token = await grafanaPost(base, `/api/serviceaccounts/${account.id}/tokens`, auth, { name });
  if (typeof token.key !== 'string' || token.key === '') {
    throw new GrafanaApiError('POST', `/api/serviceaccounts/${account.id}/tokens`, 200, 'no token key in the answer');
  }
  return token.key;
}

/** The datasource of dashboards/provisioning (same uid, type and settings), pointed at `prometheusUrl`. */
export function datasourceBody(prometheusUrl: string): Record<string, unknown> {
  const [, text] = provisioningFiles({ prometheusUrl }).find(([rel]) => rel.includes('datasources')) ?? ['', ''];
  const doc = parse(text) as { datasources: Array<Record<string, unknown>> };
  return doc.datasources[0] ?? {};
}

export interface Provisioned {
  token: string;
  dashboards: Array<{ uid: string; title: string; url: string }>;
}

/** Token, datasource (`POST /api/datasources`) and every generated dashboard (`POST /api/dashboards/db`). */
export async function provisionGrafana(
  base: string,
  admin: { user: string; password: string },
  prometheusUrl: string,
  opts: { dashboards?: BuiltDashboard[]; log?: (line: string) => void } = {},
): Promise<Provisioned> {
  const token = await createServiceAccountToken(base, admin, 'scale-harness');
  await grafanaPost(base, '/api/datasources', { token }, datasourceBody(prometheusUrl));
  const client = new GrafanaClient({ url: base, token, ...(opts.log ? { log: opts.log } : {}) });
  const dashboards: Provisioned['dashboards'] = [];
  for (const d of opts.dashboards ?? buildDashboards()) {
    const r = await client.uploadDashboard(d.json, { message: 'scale-harness: provisioned for a run' });
    dashboards.push({ uid: r.uid || d.uid, title: d.title, url: r.url });
  }
  return { token, dashboards };
}
