/**
 * The per-request series of the stack (requests, request duration, response bytes), counted in
 * plain numbers per route and handed to the prom-client registry only when it is read (a
 * scrape or a push). prom-client's labelled `inc` and `observe` validate and hash the labels on
 * every call, bound children included, three times per request; here a request costs one Map
 * lookup and a few additions. The text is what prom-client's Counter and Histogram write.
 */
import type { Registry } from 'prom-client';

interface RouteLabels {
  service: string;
  route: string;
}

/** One route's counts; `statuses` by HTTP status. */
interface RouteCounts {
  labels: RouteLabels;
  statuses: Map<number, number>;
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
  bytes: number;
}

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export class RouteMetrics {
  private readonly routes = new Map<string, RouteCounts>();

  constructor(
    registry: Registry,
    private readonly bounds: readonly number[],
    names: { requests: string; duration: string; bytes: string },
  ) {
    const metric = (name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue[]) => {
      const get = async () => ({ name, help, type, values: values(), aggregator: 'sum' as const });
      registry.registerMetric({ name, help, type, get, getForPromString: get } as unknown as Parameters<Registry['registerMetric']>[0]);
    };
    metric(names.requests, 'Gateway requests by service, route and status.', 'counter', () =>
      [...this.routes.values()].flatMap((r) => [...r.statuses].map(([status, value]) => ({ labels: { ...r.labels, status: String(status) }, value }))),
    );
    metric(names.duration, 'Time in the stack (FIFO wait + service), s.', 'histogram', () => [...this.routes.values()].filter((r) => r.buckets.length > 0).flatMap((r) => this.histogram(names.duration, r)));
    metric(names.bytes, 'Response body bytes.', 'counter', () => [...this.routes.values()].filter((r) => r.buckets.length > 0).map((r) => ({ labels: { ...r.labels }, value: r.bytes })));
  }

  /** A route's series at 0 from the start (a missing series then means a broken scrape). */
  zero(labels: RouteLabels, status: number): void {
    const r = this.counts(labels.service, labels.route, true);
    if (!r.statuses.has(status)) r.statuses.set(status, 0);
  }

  /** One answered request; `timed` false for an unmatched one (counted, no duration or bytes). */
  record(service: string, route: string, status: number, seconds: number, bytes: number, timed: boolean): void {
    const r = this.counts(service, route, timed);
    r.statuses.set(status, (r.statuses.get(status) ?? 0) + 1);
    if (!timed) return;
    // le is inclusive: the first bound >= seconds.
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    r.buckets[i]! += 1;
    r.sum += seconds;
    r.count += 1;
    r.bytes += bytes;
  }

  private counts(service: string, route: string, timed: boolean): RouteCounts {
    const key = `${service}\u0000${route}`;
    let r = this.routes.get(key);
    if (!r) {
      r = { labels: { service, route }, statuses: new Map(), buckets: new Float64Array(timed ? this.bounds.length + 1 : 0), sum: 0, count: 0, bytes: 0 };
      this.routes.set(key, r);
    }
    return r;
  }

  private histogram(name: string, r: RouteCounts): MetricValue[] {
    const out: MetricValue[] = [];
    let acc = 0;
    this.bounds.forEach((le, i) => {
      acc += r.buckets[i]!;
      out.push({ labels: { le, ...r.labels }, value: acc, metricName: `${name}_bucket` });
    });
    out.push({ labels: { le: '+Inf', ...r.labels }, value: r.count, metricName: `${name}_bucket` });
    out.push({ labels: { ...r.labels }, value: r.sum, metricName: `${name}_sum` });
    out.push({ labels: { ...r.labels }, value: r.count, metricName: `${name}_count` });
    return out;
  }
}
