/**
 * A small client for Grafana's HTTP API (annotations, dashboard upload) and `annotateRun`, which
 * marks a run's load window, each trigger fire and each scale-up on the dashboards.
 * The service-account token is sent only in the Authorization header: every log line and error
 * message goes through `redact` first.
 */
import type { Verdict } from '../controller/types.ts';
import type { Plan } from '../plan/types.ts';
import { ANNOTATION_TAG } from './series.ts';
import { fetchAllowed } from '../util/net.ts';

/** Body of `POST /api/annotations`. Times are ms since the epoch. */
export interface Annotation {
  dashboardUID?: string;
  panelId?: number;
  time: number;
  /** End of a region annotation, ms. */
  timeEnd?: number;
  tags: string[];
  text: string;
}

export interface GrafanaClientOptions {
  /** Grafana base URL, e.g. https://grafana.example.com or http://localhost:3000/grafana. */
  url: string;
  /** Service-account token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** @default 15000 ms */
  timeoutMs?: number;
  /** Receives one line per request (method, path, status); never the token. */
  log?: (line: string) => void;
}

export interface UploadOptions {
  folderUid?: string;
  /** @default true */
  overwrite?: boolean;
  message?: string;
}

export interface UploadResult {
  uid: string;
  url: string;
  version: number;
  status: string;
}

export class GrafanaApiError extends Error {
  /** HTTP status; 0 when Grafana could not be reached. */
  readonly status: number;
  /** Grafana's `message`, or the response text. */
  readonly grafanaMessage: string;
  constructor(method: string, path: string, status: number, grafanaMessage: string) {
    super(`Grafana ${method} ${path}: ${status === 0 ? 'unreachable' : `HTTP ${status}`}: ${grafanaMessage}`);
    this.name = 'GrafanaApiError';
    this.status = status;
    this.grafanaMessage = grafanaMessage;
  }
}

/** Replaces the token (and any URL user-info) in `text`. */
export function redact(text: string, token: string): string {
  let out = text.replace(/\/\/[^/@\s]+@/g, '//[redacted]@');
  if (token.length > 0) out = out.split(token).join('[redacted]');
  return out;
}

export class GrafanaClient {
  private readonly base: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(opts: GrafanaClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.log = opts.log ?? (() => {});
  }

  private async post(path: string, body: unknown): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      // Redirects only within Grafana's own host: the token must not travel anywhere else.
      res = await fetchAllowed(`${this.base}${path}`, [new URL(this.base).hostname], {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: { message?: string } }).cause?.message;
      const why = redact(`${(err as Error).message}${cause ? ` (${cause})` : ''} at ${this.base}`, this.token);
      this.log(redact(`POST ${path} -> unreachable: ${why}`, this.token));
      throw new GrafanaApiError('POST', path, 0, why);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      // not JSON: keep the text for the error message
    }
    this.log(redact(`POST ${path} -> ${res.status}`, this.token));
    if (!res.ok) {
      const message = typeof json.message === 'string' ? json.message : text.slice(0, 300) || res.statusText;
      throw new GrafanaApiError('POST', path, res.status, redact(message, this.token));
    }
    return json;
  }

  /** `POST /api/annotations`; returns the new annotation's id. */
  async createAnnotation(a: Annotation): Promise<{ id: number }> {
    const json = await this.post('/api/annotations', a);
    return { id: typeof json.id === 'number' ? json.id : -1 };
  }

  /** `POST /api/dashboards/db` with `{dashboard, folderUid, overwrite, message}`. */
  async uploadDashboard(dashboard: Record<string, unknown>, opts: UploadOptions = {}): Promise<UploadResult> {
    const json = await this.post('/api/dashboards/db', {
      dashboard,
      folderUid: opts.folderUid ?? '',
      overwrite: opts.overwrite ?? true,
      message: opts.message ?? 'scale-harness: generated dashboards',
    });
    return {
      uid: String(json.uid ?? dashboard.uid ?? ''),
      url: String(json.url ?? ''),
      version: typeof json.version === 'number' ? json.version : 0,
      status: String(json.status ?? ''),
    };
  }
}

/** Seconds (epoch) to ms. */
const ms = (s: number): number => Math.round(s * 1000);

/** The annotations for one run: its load window (a region), each trigger fire and each scale-up. */
export function runAnnotations(plan: Plan, verdict: Verdict, opts: { dashboardUID?: string } = {}): Annotation[] {
  const base = [ANNOTATION_TAG, verdict.profile, verdict.runId];
  const where = opts.dashboardUID ? { dashboardUID: opts.dashboardUID } : {};
  const reasons = verdict.reasons.length > 0 ? `\n${verdict.reasons.join('\n')}` : '';
  const out: Annotation[] = [
    {
      ...where,
      time: ms(verdict.startedAt),
      timeEnd: ms(verdict.endedAt),
      tags: [...base, 'run', verdict.status],
      text:
        `scale-harness run ${verdict.runId}: ${verdict.status.toUpperCase()} ` +
        `(profile ${plan.profile}, scale ${plan.scale}, time scale ${plan.timeScale})${reasons}`,
    },
  ];
  for (const t of verdict.triggers) {
    if (t.firedAt !== null) {
      out.push({
        ...where,
        time: ms(t.firedAt),
        tags: [...base, 'trigger-fired', t.id, t.outcome],
        text: `${t.id} fired: ${t.condition} -> expect ${t.action} (${t.outcome})`,
      });
    }
    if (t.scaledAt !== null) {
      const lag = t.lagSeconds === null ? '' : `, ${t.lagSeconds.toFixed(1)} s after fire (grace ${t.graceSeconds} s)`;
      out.push({
        ...where,
        time: ms(t.scaledAt),
        tags: [...base, 'scaled', t.id, t.outcome],
        text: `${t.service} scaled ${t.replicasBefore ?? '?'} -> ${t.replicasAfter ?? '?'} replicas${lag} (${t.outcome})`,
      });
    }
  }
  return out;
}

/** Sends `runAnnotations(plan, verdict)`; stops at the first error (which names status and message). */
export async function annotateRun(
  client: GrafanaClient,
  plan: Plan,
  verdict: Verdict,
  opts: { dashboardUID?: string } = {},
): Promise<{ ids: number[] }> {
  const ids: number[] = [];
  for (const a of runAnnotations(plan, verdict, opts)) ids.push((await client.createAnnotation(a)).id);
  return { ids };
}
