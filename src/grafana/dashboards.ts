/**
 * Dashboards as code: run overview (k6 load, latency, errors per journey and cohort), scaling
 * (replicas, trigger signals against their thresholds, autoscaler actions) and SLOs (the
 * `scale_harness_*` result series). Same triggers in, same bytes out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TriggerSchema, type TriggerInput } from '../plan/schema.ts';
import { builtInStacks } from '../stack/stacks.ts';
import { buildDashboard } from './kit.ts';
import { overview } from './dashboard-overview.ts';
import { scaling } from './dashboard-scaling.ts';
import { slos } from './dashboard-slos.ts';
import { provisioningFiles, type ProvisioningOptions } from './provisioning.ts';

export interface BuiltDashboard {
  uid: string;
  title: string;
  /** Grafana dashboard JSON (schemaVersion 42), ready for /api/dashboards/db or provisioning. */
  json: Record<string, unknown>;
}

/** The trigger tables of every built-in stack (profiles/stacks/), in registry order. */
export function builtInTriggers(): TriggerInput[] {
  return builtInStacks().flatMap((s) => s.triggers);
}

/** Builds the dashboards; thresholds on the scaling dashboard come from `triggers`. */
export function buildDashboards(triggers: readonly TriggerInput[] = builtInTriggers()): BuiltDashboard[] {
  const parsed = triggers.map((t) => TriggerSchema.parse(t));
  return [overview(), scaling(parsed), slos()].map((spec) => ({ uid: spec.uid, title: spec.title, json: buildDashboard(spec) }));
}

/** Stable serialisation: 2-space JSON and a final newline. */
export function dashboardText(d: BuiltDashboard): string {
  return `${JSON.stringify(d.json, null, 2)}\n`;
}

/**
 * Writes `<dir>/<uid>.json` for each dashboard and the provisioning files
 * (`<dir>/provisioning/datasources/prometheus.yaml`, `<dir>/provisioning/dashboards/scale-harness.yaml`).
 * Returns the paths written, in a stable order.
 */
export async function writeDashboards(dir = 'dashboards', opts: ProvisioningOptions = {}): Promise<string[]> {
  const written: string[] = [];
  await mkdir(dir, { recursive: true });
  for (const d of buildDashboards()) {
    const path = join(dir, `${d.uid}.json`);
    await writeFile(path, dashboardText(d));
    written.push(path);
  }
  for (const [rel, text] of provisioningFiles(opts)) {
    const path = join(dir, rel);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
