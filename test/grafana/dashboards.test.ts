import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDashboards, dashboardText, writeDashboards } from '../../src/grafana/dashboards.ts';
import { PROVISIONED_DATASOURCE_UID } from '../../src/grafana/kit.ts';
import { panelQueries } from '../../src/grafana/panels.ts';
import { provisioningFiles } from '../../src/grafana/provisioning.ts';
import { ANNOTATION_TAG } from '../../src/grafana/series.ts';

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId?: string; expr?: string }>;
  gridPos?: { x: number; y: number; w: number; h: number };
}

const dashboards = buildDashboards();

describe('buildDashboards', () => {
  it('builds the overview, scaling and SLO dashboards with the three template variables', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['scale-harness-overview', 'scale-harness-scaling', 'scale-harness-slos']);
    for (const d of dashboards) {
      expect(d.json.schemaVersion).toBe(42);
      expect(d.json.uid).toBe(d.uid);
      expect(d.json.title).toBe(d.title);
      const vars = (d.json.templating as { list: Array<{ name: string; type: string; current?: { value: string } }> }).list;
      expect(vars.map((v) => v.name).sort()).toEqual(['datasource', 'profile', 'testid']);
      const ds = vars.find((v) => v.name === 'datasource');
      expect(ds?.type).toBe('datasource');
      expect(ds?.current?.value).toBe(PROVISIONED_DATASOURCE_UID);
      const ann = (d.json.annotations as { list: Array<{ target: { tags: string[] } }> }).list;
      expect(ann[0]?.target.tags).toEqual([ANNOTATION_TAG]);
    }
  });

  it('gives every panel a unique id, a grid position and the templated datasource', () => {
    for (const d of dashboards) {
      const panels = d.json.panels as Panel[];
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(panels.length);
      expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
      for (const p of panels) {
        expect(p.gridPos, `${d.uid} / ${p.title}`).toBeDefined();
        if (p.type === 'row') continue;
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        const refIds = (p.targets ?? []).map((t) => t.refId);
        expect(refIds.length, `${d.uid} / ${p.title} has queries`).toBeGreaterThan(0);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    }
  });

  it('reads latency from the k6 native histogram and scopes k6 and result series to the run', () => {
    const overview = panelQueries(dashboards[0]?.json);
    expect(overview.map((q) => q.expr)).toContain(
      'histogram_quantile(0.95, sum by (journey) (rate(k6_http_req_duration_seconds{testid=~"$testid"}[$__rate_interval])))',
    );
    for (const q of overview.filter((x) => x.expr.includes('k6_'))) expect(q.expr).toContain('testid=~"$testid"');
    for (const q of panelQueries(dashboards[2]?.json)) expect(q.expr).toContain('run_id=~"$testid", profile=~"$profile"');
  });

  it('draws each trigger threshold from the trigger tables on the scaling dashboard', () => {
    const exprs = panelQueries(dashboards[1]?.json).map((q) => q.expr).join('\n');
    expect(exprs).toContain('label_replace(vector(70), "trigger", "auth-cpu", "", "")');
    expect(exprs).toContain('label_replace(vector(500), "trigger", "payments-queue", "", "")');
    expect(exprs).toContain('label_replace(vector(80), "trigger", "backend-memory", "", "")');
  });

  it('is deterministic: same input, same bytes', () => {
    expect(buildDashboards().map(dashboardText)).toEqual(dashboards.map(dashboardText));
  });
});

describe('writeDashboards', () => {
  it('writes the dashboards and provisioning files, identically twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sh-dash-'));
    try {
      const first = await writeDashboards(dir);
      const texts = await Promise.all(first.map((p) => readFile(p, 'utf8')));
      const second = await writeDashboards(dir);
      expect(second).toEqual(first);
      expect(await Promise.all(second.map((p) => readFile(p, 'utf8')))).toEqual(texts);
      expect(first.map((p) => p.slice(dir.length + 1))).toEqual([
        'scale-harness-overview.json',
        'scale-harness-scaling.json',
        'scale-harness-slos.json',
        'provisioning/datasources/prometheus.yaml',
        'provisioning/dashboards/scale-harness.yaml',
      ]);
      const ds = parse(texts[3] ?? '') as { datasources: Array<{ uid: string; type: string }> };
      expect(ds.datasources[0]).toMatchObject({ uid: PROVISIONED_DATASOURCE_UID, type: 'prometheus' });
      const prov = parse(texts[4] ?? '') as { providers: Array<{ folder: string; type: string }> };
      expect(prov.providers[0]).toMatchObject({ folder: 'scale-harness', type: 'file' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('matches the committed files in dashboards/ (run `npm run dashboards` after changing the code)', async () => {
    const committed = await readdir('dashboards');
    for (const d of dashboards) {
      expect(committed).toContain(`${d.uid}.json`);
      expect(await readFile(join('dashboards', `${d.uid}.json`), 'utf8')).toBe(dashboardText(d));
    }
    for (const [rel, text] of provisioningFiles()) expect(await readFile(join('dashboards', rel), 'utf8')).toBe(text);
  });
});
