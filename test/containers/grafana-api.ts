/**
 * Reads a Grafana the way its UI does (anonymous viewer): a dashboard by uid, a panel query
 * through the datasource query endpoint, the annotations in a time range.
 */
import { interpolate, type CheckVars, type PanelQuery } from '../../src/grafana/panels.ts';

export async function getJson(url: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the text for the failure message
  }
  return { status: res.status, json };
}

interface Frame {
  data?: { values?: unknown[][] };
}

/**
 * `POST /api/ds/query` for one panel target over [start, end] (epoch s); returns the number of
 * frames with at least one finite value, or the error Grafana reports.
 */
export async function queryPanel(grafana: string, datasourceUid: string, q: PanelQuery, vars: CheckVars): Promise<{ frames: number; error?: string }> {
  const expr = interpolate(q.expr, { ...vars, datasource: datasourceUid });
  const body = {
    from: String(Math.floor(vars.start * 1000)),
    to: String(Math.ceil(vars.end * 1000)),
    queries: [{ refId: q.refId, datasource: { type: 'prometheus', uid: datasourceUid }, expr, range: true, instant: false, intervalMs: 1000, maxDataPoints: 500 }],
  };
  const res = await fetch(`${grafana}/api/ds/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await res.json().catch(() => ({}))) as { results?: Record<string, { error?: string; frames?: Frame[] }>; message?: string };
  const r = json.results?.[q.refId];
  if (!res.ok || r?.error) return { frames: 0, error: `HTTP ${res.status}: ${r?.error ?? json.message ?? 'no message'}` };
  const withData = (r?.frames ?? []).filter((f) => (f.data?.values ?? []).slice(1).some((col) => col.some((v) => typeof v === 'number' && Number.isFinite(v))));
  return { frames: withData.length };
}

export interface GrafanaAnnotation {
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
}

/** `GET /api/annotations` in [fromMs, toMs] carrying every one of `tags`. */
export async function annotations(grafana: string, fromMs: number, toMs: number, tags: string[]): Promise<GrafanaAnnotation[]> {
  const q = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), limit: '1000' });
  for (const t of tags) q.append('tags', t);
  const r = await getJson(`${grafana}/api/annotations?${q.toString()}`);
  if (r.status !== 200 || !Array.isArray(r.json)) throw new Error(`GET /api/annotations: HTTP ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json as GrafanaAnnotation[];
}
