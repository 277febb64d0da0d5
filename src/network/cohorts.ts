/**
 * Client cohorts: direct cohorts use the gateway; shaped cohorts get a Toxiproxy listener each,
 * with the preset's toxics, so their traffic really crosses a slow link.
 */
import type { Cohort } from '../plan/schema.ts';
import { ensureTool } from '../tools/index.ts';
import { getPreset } from './presets.ts';
import { createCohortProxies, startToxiproxy } from './toxiproxy.ts';

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

export async function startShapedCohorts(cohorts: Cohort[], targetUrl: string, log: (l: string) => void): Promise<ShapedCohorts> {
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
    return { cohortUrls, describe, [Symbol.asyncDispose]: () => tp.stop() };
  } catch (err) {
    await tp.stop();
    throw err;
  }
}
