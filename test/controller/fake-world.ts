/**
 * A fake MetricSource for unit tests of the judge: it answers the verdict's PromQL from a small
 * description of what k6 and the stack reported, reading the journey and grouping out of each
 * query, so a test states the world and the expected verdict and nothing in between.
 */
import type { InstantSample, MetricSource, RangeSeries } from '../../src/metrics/client.ts';
import type { Plan } from '../../src/plan/types.ts';
import { fixturePlan } from '../fixtures/grafana/run.ts';

export interface World {
  /** Requests per journey k6 pushed; a journey left out has no series at all. */
  requests: Record<string, number>;
  /** Failed requests per journey. */
  failed?: Record<string, number>;
  /** Iterations per journey. */
  iterations?: Record<string, number>;
  /** Whole-run latency percentile, ms; null = no histogram data. */
  latencyMs: number | null;
  /** Windowed latency percentile per range step, ms (NaN = no data in that window). */
  windowLatencyMs?: number[];
  /** Windowed error ratio per range step. */
  windowErrorRatio?: number[];
  /** Scrapes of the stack's job seen, and whether `up` was ever 0. */
  scrapes?: { count: number; everDown: boolean };
  /** Range series by a text the query contains (first match wins), as [epoch s, value] points. */
  ranges?: Array<[string, Array<[number, number]>]>;
}

export class FakeWorld implements MetricSource {
  readonly queries: string[] = [];
  constructor(
    private readonly plan: Plan,
    private readonly world: World,
  ) {}

  /** Journeys the selector keeps (by its journey= or service= matcher). */
  private journeys(expr: string): string[] {
    const journey = /journey="([^"]+)"/.exec(expr)?.[1];
    const service = /service="([^"]+)"/.exec(expr)?.[1];
    return this.plan.scenarios.filter((s) => (!journey || s.journey === journey) && (!service || s.service === service)).map((s) => s.journey);
  }

  private grouped(expr: string, perJourney: (journey: string) => number | undefined, add = (a: number, b: number) => a + b): InstantSample[] {
    const by = /sum by \((\w+)\)/.exec(expr)?.[1] as 'journey' | 'service' | 'cohort' | undefined;
    const totals = new Map<string, number>();
    for (const j of new Set(this.journeys(expr))) {
      const v = perJourney(j);
      if (v === undefined) continue;
      const scenario = this.plan.scenarios.find((s) => s.journey === j);
      const key = by && scenario ? scenario[by] : '';
      const had = totals.get(key);
      totals.set(key, had === undefined ? v : add(had, v));
    }
    return [...totals].map(([key, v]) => ({ metric: by ? { [by]: key } : {}, value: [0, v] }));
  }

  async query(expr: string): Promise<InstantSample[]> {
    this.queries.push(expr);
    const w = this.world;
    if (expr.includes('up{job=')) {
      if (!w.scrapes) return [];
      return [{ metric: {}, value: [0, expr.startsWith('count_over_time') ? w.scrapes.count : w.scrapes.everDown ? 0 : 1] }];
    }
    if (expr.includes('histogram_quantile')) return w.latencyMs === null ? [] : this.grouped(expr, (j) => (j in w.requests ? (w.latencyMs ?? 0) : undefined), Math.max);
    if (expr.includes('k6_http_reqs_total') && expr.includes('expected_response="false"')) return this.grouped(expr, (j) => (j in w.requests ? (w.failed?.[j] ?? 0) : undefined));
    if (expr.includes('k6_http_reqs_total')) return this.grouped(expr, (j) => w.requests[j]);
    if (expr.includes('k6_iterations_total')) return this.grouped(expr, (j) => w.iterations?.[j] ?? w.requests[j]);
    if (expr.includes('k6_dropped_iterations_total')) return this.grouped(expr, (j) => (j in w.requests ? 0 : undefined));
    return [];
  }

  async queryRange(expr: string, start: number, _end: number, step: number): Promise<RangeSeries[]> {
    this.queries.push(expr);
    const hit = this.world.ranges?.find(([text]) => expr.includes(text));
    if (hit) return [{ metric: {}, values: hit[1] }];
    if (this.world.ranges) return [];
    const values = expr.includes('histogram_quantile') ? this.world.windowLatencyMs : expr.includes('expected_response="false"') ? this.world.windowErrorRatio : undefined;
    if (!values) return [];
    return [{ metric: {}, values: values.map((v, i) => [start + i * step, v]) }];
  }
}

/** Two journeys on one service, 60 s of load: login ramps 0 -> 10 it/s (300 iterations), signup 0 -> 5 (150). */
export function judgePlan(over: Partial<Plan> = {}): Plan {
  const base = fixturePlan('r1');
  const login = base.scenarios[0]!;
  const scenario = (journey: string, target: number) => ({ ...login, name: `${journey}_direct`, journey, startRate: 0, stages: [{ durationSeconds: 60, target }] });
  return {
    ...base,
    scale: 1,
    timeScale: 1,
    durationSeconds: 60,
    peakRate: 15,
    scenarios: [scenario('login', 10), scenario('signup', 5)],
    slos: [{ id: 'p95', objective: 'latency', percentile: 95, maxMs: 500, scope: {} }],
    sloWindowSeconds: 10,
    ...over,
  };
}
