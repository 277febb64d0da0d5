/**
 * Client cohorts: direct cohorts use the gateway; shaped cohorts get a Toxiproxy listener each,
 * with the preset's toxics, so their traffic really crosses a slow link.
 */
import type { Cohort } from '../plan/schema.ts';
import { ensureTool } from '../tools/index.ts';
import { getPreset } from './presets.ts';
import { createCohortProxies, setCohortProxyEnabled, startToxiproxy } from './toxiproxy.ts';

/** A cohort whose link goes down during the run (the `proxy-down` fault). */
export interface LinkDown {
  cohorts: string[];
  /** Wall-clock s after the proxies are made. */
  afterSeconds: number;
}

export interface ShapedCohorts extends AsyncDisposable {
  /** Base URL per shaped cohort (its Toxiproxy listener). */
  cohortUrls: Record<string, string>;
  /** What each shaped cohort goes through, for the plan's inputs. */
  describe: Record<string, unknown>;
}

/** True when any cohort needs Toxiproxy. */
export function needsShaping(cohorts: Cohort[]): boolean {
  return cohorts.some((c) => c.network !== 'direct');
}

export async function startShapedCohorts(cohorts: Cohort[], targetUrl: string, log: (l: string) => void, down?: LinkDown): Promise<ShapedCohorts> {
  const shaped = cohorts.filter((c) => c.network !== 'direct');
  if (shaped.length === 0) return { cohortUrls: {}, describe: {}, [Symbol.asyncDispose]: async () => undefined };
  const bin = await ensureTool('toxiproxy', { log });
  const tp = await startToxiproxy(bin.path, {});
  try {
    const u = new URL(targetUrl);
    const cohortUrls = await createCohortProxies(tp.apiUrl, `${u.hostname}:${u.port}`, shaped.map((c) => ({ name: c.name, preset: c.network })));
    const describe: Record<string, unknown> = {};
    for (const c of shaped) describe[c.name] = { preset: c.network, url: cohortUrls[c.name], ...getPreset(c.network) };
    log(`toxiproxy ${tp.apiUrl}: ${shaped.map((c) => `${c.name} via ${c.network} at ${cohortUrls[c.name]}`).join(', ')}`);
    const timer = down?.cohorts.length ? setTimeout(() => void takeDown(tp.apiUrl, down.cohorts, log), down.afterSeconds * 1000) : null;
    timer?.unref();
    const stop = async (): Promise<void> => {
      if (timer) clearTimeout(timer);
      await tp.stop();
    };
    return { cohortUrls, describe, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await tp.stop();
    throw err;
  }
}

async function takeDown(apiUrl: string, cohorts: string[], log: (l: string) => void): Promise<void> {
  for (const c of cohorts) {
    await setCohortProxyEnabled(apiUrl, c, false).then(
      () => log(`fault: cohort ${c}'s proxy is down`),
      (err: unknown) => log(`fault: could not take cohort ${c}'s proxy down: ${(err as Error).message}`),
    );
  }
}
