/**
 * Client cohorts: direct cohorts use the gateway; shaped cohorts get a Toxiproxy listener each,
 * with the preset's toxics, so their traffic really crosses a slow link.
 */
import type { Cohort } from '../plan/schema.ts';
import { NETWORK_PRESETS } from '../../profiles/network.ts';
import { ensureTool } from '../tools/index.ts';

export interface NetworkSetup {
  cohortUrls: Record<string, string>;
  describe: Record<string, unknown>;
  stop(): Promise<void>;
}

export function presetNames(): string[] {
  return Object.keys(NETWORK_PRESETS).filter((n) => n !== 'direct');
}

export async function setupNetwork(cohorts: Cohort[], targetUrl: string, log: (l: string) => void): Promise<NetworkSetup> {
  const shaped = cohorts.filter((c) => c.network !== 'direct');
  if (shaped.length === 0) return { cohortUrls: {}, describe: {}, stop: async () => undefined };
  const { createCohortProxies, startToxiproxy } = await import('../network/toxiproxy.ts');
  const bin = await ensureTool('toxiproxy', { log });
  const tp = await startToxiproxy(bin.path, {});
  try {
    const u = new URL(targetUrl);
    const cohortUrls = await createCohortProxies(tp.apiUrl, `${u.hostname}:${u.port}`, shaped.map((c) => ({ name: c.name, preset: c.network })));
    const describe: Record<string, unknown> = {};
    for (const c of shaped) describe[c.name] = { preset: c.network, url: cohortUrls[c.name], ...(NETWORK_PRESETS as Record<string, object>)[c.network] };
    log(`toxiproxy ${tp.apiUrl}: ${shaped.map((c) => `${c.name} via ${c.network} at ${cohortUrls[c.name]}`).join(', ')}`);
    return { cohortUrls, describe, stop: () => tp.stop() };
  } catch (err) {
    await tp.stop();
    throw err;
  }
}
