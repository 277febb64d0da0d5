/**
 * Prometheus remote-write 1.0 (protobuf `prompb.WriteRequest`, snappy block format) with
 * float samples and native histograms, encoded by hand: what k6's experimental-prometheus-rw
 * output sends, so a synthetic run lands in Prometheus exactly as a real one would.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs/minimal.js';

const snappy = createRequire(import.meta.url)('snappyjs') as { compress(input: Uint8Array): Uint8Array };

/** A native histogram sample: integer counts, one positive span run. */
export interface NativeHistogram {
  /** ms epoch */
  timestamp: number;
  count: number;
  sum: number;
  schema: number;
  /** Index of the first positive bucket and the counts from there (contiguous). */
  firstBucket: number;
  counts: number[];
}

export interface WriteSeries {
  labels: Record<string, string>;
  /** [ms epoch, value] */
  samples?: Array<[number, number]>;
  histograms?: NativeHistogram[];
}

function writeHistogram(w: protobuf.Writer, h: NativeHistogram): void {
  w.uint32((1 << 3) | 0).uint64(h.count); // count_int
  w.uint32((3 << 3) | 1).double(h.sum);
  w.uint32((4 << 3) | 0).sint32(h.schema);
  w.uint32((5 << 3) | 1).double(1e-128); // zero_threshold, as client_golang
  w.uint32((6 << 3) | 0).uint64(0); // zero_count_int
  if (h.counts.length > 0) {
    w.uint32((11 << 3) | 2).fork(); // positive_spans
    w.uint32((1 << 3) | 0).sint32(h.firstBucket);
    w.uint32((2 << 3) | 0).uint32(h.counts.length);
    w.ldelim();
    // positive_deltas: packed sint64, each bucket's count minus the previous one.
    w.uint32((12 << 3) | 2).fork();
    let prev = 0;
    for (const c of h.counts) {
      w.sint64(c - prev);
      prev = c;
    }
    w.ldelim();
  }
  w.uint32((15 << 3) | 0).int64(h.timestamp);
}

/** Encodes a WriteRequest (uncompressed protobuf). */
export function encodeWriteRequest(series: WriteSeries[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const s of series) {
    w.uint32((1 << 3) | 2).fork(); // timeseries
    const names = Object.keys(s.labels).sort();
    for (const name of names) {
      w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(name).uint32((2 << 3) | 2).string(s.labels[name] ?? '').ldelim();
    }
    for (const [t, v] of s.samples ?? []) {
      w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(v).uint32((2 << 3) | 0).int64(t).ldelim();
    }
    for (const h of s.histograms ?? []) {
      w.uint32((4 << 3) | 2).fork();
      writeHistogram(w, h);
      w.ldelim();
    }
    w.ldelim();
  }
  return w.finish();
}

/** The headers remote write 1.0 requires. */
const HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

/** Sends one WriteRequest; throws with Prometheus's answer on anything but 2xx. */
export async function remoteWrite(url: string, series: WriteSeries[]): Promise<void> {
  const body = snappy.compress(encodeWriteRequest(series));
  const res = await fetch(url, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`remote write to ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}
