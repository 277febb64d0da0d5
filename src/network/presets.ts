/**
 * Network presets for client cohorts: the schema, lookup, and the Toxiproxy toxics a preset
 * means. The data, with sources, is in profiles/network.ts.
 *
 * Units are Toxiproxy's: bandwidth in KB/s with KB = 1000 bytes (400 kbit/s = 50 KB/s),
 * latency and jitter in ms, slicer delay in microseconds. A round-trip time R becomes R/2 of
 * latency on each direction, so a request/response on an open connection takes about R more.
 * (Toxiproxy delays data, not TCP handshakes: a new connection's extra round trip is not modelled.)
 */
import { z } from 'zod';
import { InputError, parseInput } from '../errors.ts';
import { NETWORK_PRESETS } from '../../profiles/network.ts';

const positive = (unit: string) =>
  z.number({ error: `must be a number of ${unit}` }).positive(`must be more than 0 ${unit}`);
const nonNegative = (unit: string) =>
  z.number({ error: `must be a number of ${unit}` }).nonnegative(`must be zero or more ${unit}`);

export const NetworkPresetSchema = z.strictObject({
  description: z.string(),
  /** Where the numbers come from. */
  source: z.string(),
  /** Round-trip time added, ms; half goes on each direction. 0 = none. */
  rttMs: nonNegative('ms'),
  /** Random variation of each direction's latency, +/- ms. */
  jitterMs: nonNegative('ms').default(0),
  /** Server-to-client bandwidth, KB/s (1000 bytes); null = unlimited. */
  downKBps: positive('KB/s').nullable(),
  /** Client-to-server bandwidth, KB/s (1000 bytes); null = unlimited. */
  upKBps: positive('KB/s').nullable(),
  /** Cut downstream data into small packets, optionally delayed (Toxiproxy `slicer`). */
  slicer: z
    .strictObject({
      /** Average packet size, bytes. */
      averageSize: positive('bytes'),
      /** Variation of the packet size, bytes; smaller than averageSize. */
      sizeVariation: nonNegative('bytes'),
      /** Delay between packets, microseconds. */
      delayUs: nonNegative('microseconds'),
    })
    .optional(),
  /** How long a client on this network waits for a response before giving up, s (k6 `timeout`). */
  timeoutSeconds: positive('s').default(60),
  /**
   * Packet loss, %. Toxiproxy has no loss toxic; loss needs `tc netem` inside a network namespace
   * the harness creates as root. That backend does not exist yet, so any value above 0 is
   * rejected when proxies are created.
   */
  lossPercent: nonNegative('%').max(100, 'must be at most 100 %').default(0),
});
export type NetworkPreset = z.infer<typeof NetworkPresetSchema>;
export type NetworkPresetInput = z.input<typeof NetworkPresetSchema>;

/** Names of the presets in profiles/network.ts. */
export function presetNames(): string[] {
  return Object.keys(NETWORK_PRESETS);
}

/** A validated preset by name; an unknown name or bad data is an InputError naming it. */
export function getPreset(name: string): NetworkPreset {
  const raw = (NETWORK_PRESETS as Record<string, NetworkPresetInput>)[name];
  if (!raw) {
    throw new InputError(`unknown network preset ${JSON.stringify(name)}; valid: ${presetNames().join(', ')}`);
  }
  return parseInput(NetworkPresetSchema, raw, 'profiles/network.ts', [name]);
}

/** One Toxiproxy toxic, as the REST API takes it. */
export interface ToxicSpec {
  name: string;
  type: 'latency' | 'bandwidth' | 'slicer';
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

/** The toxics a preset means: latency + jitter and bandwidth both ways, slicer downstream if set. */
export function toxicsFor(preset: NetworkPreset): ToxicSpec[] {
  const out: ToxicSpec[] = [];
  const streams = [
    ['downstream', 'down', preset.downKBps],
    ['upstream', 'up', preset.upKBps],
  ] as const;
  for (const [stream, short, rate] of streams) {
    if (preset.rttMs > 0 || preset.jitterMs > 0) {
      const attributes = { latency: Math.round(preset.rttMs / 2), jitter: Math.round(preset.jitterMs) };
      out.push({ name: `latency-${short}`, type: 'latency', stream, toxicity: 1, attributes });
    }
    if (rate !== null) {
      // Toxiproxy takes whole KB/s; never round a real limit down to "unlimited" (0).
      const attributes = { rate: Math.max(1, Math.round(rate)) };
      out.push({ name: `bandwidth-${short}`, type: 'bandwidth', stream, toxicity: 1, attributes });
    }
  }
  if (preset.slicer) {
    const s = preset.slicer;
    out.push({
      name: 'slicer-down',
      type: 'slicer',
      stream: 'downstream',
      toxicity: 1,
      attributes: { average_size: s.averageSize, size_variation: s.sizeVariation, delay: s.delayUs },
    });
  }
  return out;
}
