/**
 * A small typed client for Prometheus's HTTP query API (instant and range queries).
 * Range queries are split into chunks so that no request asks for more than
 * Prometheus's limit of 11,000 points per series.
 */
import { parse as parseYaml } from 'yaml';
import { HarnessError } from '../errors.ts';
import { DEFAULT_ALLOW, fetchAllowed, RedirectRefusedError } from '../util/net.ts';

/** Prometheus returns at most this many points per series in one range query. */
export const MAX_POINTS_PER_QUERY = 11_000;

export type Labels = Record<string, string>;

export interface InstantSample {
  metric: Labels;
  /** [epoch seconds, value] */
  value: [number, number];
}

export interface RangeSeries {
  metric: Labels;
  /** [epoch seconds, value][] in time order. */
  values: Array<[number, number]>;
}

/** A native histogram as the query API returns it: buckets as [lower, upper, count], in order. */
export interface HistogramValue {
  count: number;
  sum: number;
  buckets: Array<[number, number, number]>;
}

export interface HistogramSample {
  metric: Labels;
  histogram: HistogramValue;
}

export interface MetricSource {
  /** Instant query at `time` (epoch s; default now). */
  query(expr: string, time?: number): Promise<InstantSample[]>;
  /** Range query from `start` to `end` (epoch s) every `step` seconds. */
  queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]>;
  /** Instant query whose result is native histograms (float results are left out). Optional. */
  queryHistograms?(expr: string, time?: number): Promise<HistogramSample[]>;
}

interface ApiResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown[] };
  errorType?: string;
  error?: string;
}

/** Splits [start, end] into windows of at most `maxPoints` steps each. */
export function chunkRange(start: number, end: number, step: number, maxPoints = MAX_POINTS_PER_QUERY): Array<[number, number]> {
  if (!(step > 0)) throw new RangeError(`step must be positive, got ${step}`);
  if (end < start) return [];
  const span = step * (maxPoints - 1);
  const chunks: Array<[number, number]> = [];
  for (let s = start; s <= end; s += span + step) {
    chunks.push([s, Math.min(end, s + span)]);
  }
  return chunks;
}

function parseValue(v: unknown): number {
  const s = Array.isArray(v) ? v[1] : undefined;
  if (typeof s !== 'string') return NaN;
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

let callsSent = 0;

/** Queries this process has sent to any Prometheus (instant and range chunks): bench/ reads it. */
export function queriesSent(): number {
  return callsSent;
}

export class PrometheusClient implements MetricSource {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly allow: string[];

  /** `allow`: hosts a redirect may lead to (default loopback); any other Location is refused. */
  constructor(baseUrl: string, opts: { timeoutMs?: number; allow?: string[] } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.allow = opts.allow ?? DEFAULT_ALLOW;
  }

  private async call(path: string, params: Record<string, string>): Promise<unknown[]> {
    callsSent++;
    const body = new URLSearchParams(params);
    let res: Response;
    try {
      res = await fetchAllowed(`${this.baseUrl}${path}`, this.allow, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (err instanceof RedirectRefusedError) throw new HarnessError('inconclusive', `Prometheus at ${this.baseUrl}: ${err.message}`);
      throw new HarnessError('inconclusive', `Prometheus at ${this.baseUrl} is unreachable: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({ status: 'error', error: `HTTP ${res.status}` }))) as ApiResponse;
    if (json.status !== 'success' || !json.data) {
      throw new PromQueryError(params.query ?? '', json.error ?? `HTTP ${res.status}`);
    }
    return json.data.result;
  }

  async query(expr: string, time?: number): Promise<InstantSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params.time = String(time);
    const result = (await this.call('/api/v1/query', params)) as Array<{ metric: Labels; value: unknown }>;
    return result.map((r) => ({ metric: r.metric, value: [Number((r.value as unknown[])[0]), parseValue(r.value)] }));
  }

  async queryHistograms(expr: string, time?: number): Promise<HistogramSample[]> {
    const params: Record<string, string> = { query: expr };
    if (time !== undefined) params.time = String(time);
    const result = (await this.call('/api/v1/query', params)) as Array<{ metric: Labels; histogram?: [number, { count: string; sum: string; buckets?: Array<[number, string, string, string]> }] }>;
    const out: HistogramSample[] = [];
    for (const r of result) {
      const h = r.histogram?.[1];
      if (!h) continue;
      const buckets = (h.buckets ?? []).map(([, lo, hi, n]): [number, number, number] => [Number(lo), Number(hi), Number(n)]);
      out.push({ metric: r.metric, histogram: { count: Number(h.count), sum: Number(h.sum), buckets } });
    }
    return out;
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const merged = new Map<string, RangeSeries>();
    for (const [s, e] of chunkRange(start, end, step)) {
      const result = (await this.call('/api/v1/query_range', {
        query: expr,
        start: String(s),
        end: String(e),
        step: String(step),
      })) as Array<{ metric: Labels; values: unknown[] }>;
      for (const r of result) {
        const key = JSON.stringify(Object.entries(r.metric).sort());
        const into = merged.get(key) ?? { metric: r.metric, values: [] };
        for (const v of r.values) into.values.push([Number((v as unknown[])[0]), parseValue(v)]);
        merged.set(key, into);
      }
    }
    return [...merged.values()];
  }

  /** The `data` of a GET API answer, or null where it cannot be read or is not a success. */
  private async getData<T>(path: string): Promise<T | null> {
    try {
      const res = await fetchAllowed(`${this.baseUrl}${path}`, this.allow, { signal: AbortSignal.timeout(this.timeoutMs) });
      const json = (await res.json()) as { status?: string; data?: T };
      return json.status === 'success' && json.data ? json.data : null;
    } catch {
      return null;
    }
  }

  /**
   * The scrape interval of each active target, s, from the targets API; null where the server
   * has none (a long-term store behind the Prometheus query API) or it cannot be read.
   */
  async scrapeIntervals(): Promise<Array<{ job: string; seconds: number }> | null> {
    const data = await this.getData<{ activeTargets?: Array<{ labels?: Labels; scrapeInterval?: string }> }>('/api/v1/targets?state=active');
    if (!Array.isArray(data?.activeTargets)) return null;
    return data.activeTargets.flatMap((t) => positiveSeconds(t.labels?.job, t.scrapeInterval));
  }

  /**
   * The scrape interval of each scrape job in the server's configuration, s (the targets API
   * lists a job's targets only once discovery has run, seconds after the server starts); null
   * where the configuration cannot be read.
   */
  async configuredScrapeIntervals(): Promise<Array<{ job: string; seconds: number }> | null> {
    const data = await this.getData<{ yaml?: string }>('/api/v1/status/config');
    if (typeof data?.yaml !== 'string') return null;
    try {
      const config = parseYaml(data.yaml) as { global?: { scrape_interval?: string }; scrape_configs?: Array<{ job_name?: string; scrape_interval?: string }> } | null;
      const global = config?.global?.scrape_interval ?? '1m';
      return (config?.scrape_configs ?? []).flatMap((job) => positiveSeconds(job.job_name, job.scrape_interval ?? global));
    } catch {
      return null;
    }
  }

  /** Checks an expression parses, without evaluating it over data (uses a 0-length instant query). */
  async validate(expr: string): Promise<string | null> {
    try {
      await this.query(expr, 0);
      return null;
    } catch (err) {
      if (err instanceof PromQueryError) return err.reason;
      throw err;
    }
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** A Prometheus duration (`250ms`, `15s`, `1m30s`) in seconds; null when it is not one. */
export function promDurationSeconds(text: string): number | null {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return total;
}

/** A job's interval as one entry, or none when it is not a positive duration. */
function positiveSeconds(job: string | undefined, interval: string | undefined): Array<{ job: string; seconds: number }> {
  const seconds = promDurationSeconds(interval ?? '');
  return seconds !== null && seconds > 0 ? [{ job: job ?? '', seconds }] : [];
}

export class PromQueryError extends Error {
  readonly reason: string;
  constructor(expr: string, reason: string) {
    super(`PromQL ${JSON.stringify(expr)} failed: ${reason}`);
    this.name = 'PromQueryError';
    this.reason = reason;
  }
}
