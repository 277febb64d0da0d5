import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { exportValidated } from '../../src/export/index.ts';
import { KUBERNETES } from '../../profiles/targets.ts';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

describe('exportValidated', () => {
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(PROMTOOL)) throw new Error(`promtool not found at ${PROMTOOL}: install the Debian package (apt-get install prometheus) or set PROMTOOL_BIN`);
    dir = await mkdtemp(path.join(tmpdir(), 'scale-harness-export-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const stack of ['meqenet', 'reloop'] as const) {
    it(`writes the checked rules and autoscaling manifests of ${stack}`, async () => {
      const out = path.join(dir, stack);
      const files = await exportValidated(stack, out, { promtoolBin: PROMTOOL, namespace: 'prod' });
      expect(files).toEqual([path.join(out, `prometheus-rules-${stack}.yaml`), path.join(out, `autoscaling-${stack}.yaml`)]);
      const rules = parse(await readFile(files[0]!, 'utf8')) as { groups: Array<{ name: string }> };
      expect(rules.groups[0]!.name).toBe(`scale-harness-${stack}`);
      const manifests = parseAllDocuments(await readFile(files[1]!, 'utf8'));
      expect(manifests.length).toBe(stack === 'meqenet' ? 4 : 1);
    });
  }

  it('writes nothing when the generated rules fail promtool, and says why', async () => {
    const out = path.join(dir, 'broken');
    const broken = { ...KUBERNETES, signals: { ...KUBERNETES.signals, cpu: 'sum(rate(cpu[$window])' } };
    const err = await exportValidated('reloop', out, { promtoolBin: PROMTOOL, mapping: broken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/prometheus-rules-reloop\.yaml: promtool check rules failed:[\s\S]*ScaleTriggerBackendCpu/);
    expect(existsSync(out)).toBe(false);
  });
});
