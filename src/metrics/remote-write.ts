/**
 * Remote write (protobuf + snappy, `prometheus-remote-write`) of float series into a
 * Prometheus with its receiver on: the run's result series, and the embedded stack's own
 * samples until Prometheus first scrapes it (src/stack/push.ts).
 */
import { pushTimeseries } from 'prometheus-remote-write';

export interface ResultSeries {
  labels: { __name__: string; [label: string]: string };
  /** Timestamps in ms since the epoch, increasing. */
  samples: Array<{ value: number; timestamp: number }>;
}

/** `__name__` first, then by name: the order Prometheus keeps labels in. */
export function sortedLabels(name: string, labels: Record<string, string>): ResultSeries['labels'] {
  const out: ResultSeries['labels'] = { __name__: name };
  for (const k of Object.keys(labels).sort()) out[k] = labels[k] ?? '';
  return out;
}

export class RemoteWriteError extends Error {
  readonly status: number;
  constructor(url: string, status: number, message: string) {
    super(`remote write to ${url} failed: HTTP ${status}: ${message.trim() || '(no message)'}`);
    this.name = 'RemoteWriteError';
    this.status = status;
  }
}

/**
 * Remote-writes float series with `prometheus-remote-write` (protobuf + snappy) over Node's
 * fetch; throws RemoteWriteError on a non-2xx answer.
 */
export async function remoteWrite(url: string, all: ResultSeries[], timeoutMs = 15_000): Promise<void> {
  let result: { status: number; statusText: string; errorMessage?: string };
  try {
    result = await pushTimeseries(all, {
      url,
      headers: { 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0', 'User-Agent': 'scale-harness' },
      fetch: async (target, init) => {
        const res = await fetch(target, {
          method: init?.method ?? 'POST',
          headers: init?.headers,
          body: new Uint8Array(init?.body as ArrayBuffer),
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect is an error here: no result leaves for a host nobody named.
          redirect: 'manual',
        });
        return { status: res.status, statusText: res.statusText, text: () => res.text() };
      },
    });
  } catch (err) {
    throw new RemoteWriteError(url, 0, (err as Error).message);
  }
  if (result.status < 200 || result.status >= 300) {
    throw new RemoteWriteError(url, result.status, result.errorMessage ?? result.statusText);
  }
}

