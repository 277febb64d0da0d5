/**
 * `dashboards`: writes the Grafana dashboards and provisioning files, plus the Prometheus
 * alerting rules and autoscaling manifests of what the harness validates; with --grafana-url
 * (and GRAFANA_TOKEN) also uploads the dashboards.
 */
import path from 'node:path';
import { writeDashboards, buildDashboards } from '../grafana/dashboards.ts';
import { GrafanaClient } from '../grafana/annotations.ts';
import { exportValidated } from '../export/index.ts';
import { builtInStackNames } from '../stack/stacks.ts';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../util/paths.ts';
import { parse, str } from './args.ts';
import { FLAGS } from './flags.ts';
import { checkUrl } from './guard.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';

export async function dashboardsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.dashboards);
  if (positionals.length) throw new InputError(`dashboards: takes no arguments (got ${positionals.join(' ')})`);
  // Every check before the first file is written.
  const url = str(values, 'grafana-url');
  checkUrl('--grafana-url', url);
  const token = process.env.GRAFANA_TOKEN;
  if (url && !token) throw new InputError('--grafana-url: set GRAFANA_TOKEN to a Grafana service-account token');
  const out = path.resolve(str(values, 'out') ?? path.join(PROJECT_ROOT, 'dashboards'));
  const files = await writeDashboards(out);
  for (const stack of builtInStackNames()) files.push(...(await exportValidated(stack, path.join(out, 'exports'))));
  for (const f of files) io.out(`wrote ${path.relative(process.cwd(), f)}`);
  if (url && token) {
    const client = new GrafanaClient({ url, token, log: (l) => io.err(l) });
    for (const d of buildDashboards()) {
      const r = await client.uploadDashboard(d.json, { ...(str(values, 'folder') ? { folderUid: str(values, 'folder')! } : {}), message: 'scale-harness dashboards' });
      io.out(`uploaded ${d.uid} -> ${r.url}`);
    }
  }
  return EXIT.pass;
}
