import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineFromVerdict, compareToBaseline } from '../../src/report/baseline.ts';
import { mdCell, renderMarkdown, writeStepSummary } from '../../src/report/markdown.ts';
import { makePlan, makeVerdict } from '../fixtures/report/synthetic.ts';

describe('renderMarkdown', () => {
  it('has the status, every SLO and trigger, and the baseline deltas', () => {
    const v = makeVerdict();
    const md = renderMarkdown([{ plan: makePlan(), verdict: v, baseline: compareToBaseline(v, baselineFromVerdict(v)) }]);
    expect(md).toContain('## ❌ spike: FAIL');
    for (const s of v.slos) expect(md).toContain(`| ${s.id} |`);
    for (const t of v.triggers) expect(md).toContain(`| ${t.id} |`);
    expect(md).toContain('| journey.login.p95\\_ms | 312 ms | 312 ms | +0 % | \\<= 390 ms | ✅ PASS |');
  });

  it('names the injected faults and the rows never exercised', () => {
    const v = makeVerdict();
    const idle = { ...v.triggers[0]!, id: 'auth-latency', outcome: 'not-exercised' as const, status: 'pass' as const, firedAt: null };
    const md = renderMarkdown([{ plan: makePlan(), verdict: { ...v, faults: [{ kind: 'ignore', trigger: 'auth-latency' }], triggers: [...v.triggers, idle] } }]);
    expect(md).toContain('**Faults injected:** ignore:auth-latency\n');
    expect(md).toMatch(/\*\*Not exercised:\*\* auth-latency \(never fired;/);
    expect(renderMarkdown([{ plan: makePlan(), verdict: v }])).toContain('**Faults injected:** none\n');
    expect(renderMarkdown([{ plan: makePlan(), verdict: v }])).not.toContain('Not exercised');
  });

  it('titles a gate and keeps table cells intact', () => {
    const md = renderMarkdown([
      { plan: makePlan(), verdict: makeVerdict({ status: 'pass' }) },
      { plan: makePlan(), verdict: makeVerdict({ profile: 'soak', status: 'inconclusive' }) },
    ]);
    expect(md.startsWith('# ⚠️ Gate: INCONCLUSIVE (2 runs)')).toBe(true);
    expect(mdCell('a|b<c>\nd')).toBe('a\\|b\\<c\\> d');
  });

  it('appends to GITHUB_STEP_SUMMARY only when it is set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'md-'));
    const file = join(dir, 'summary.md');
    expect(await writeStepSummary('one', {})).toBe(false);
    expect(await writeStepSummary('one', { GITHUB_STEP_SUMMARY: file })).toBe(true);
    await writeStepSummary('two\n', { GITHUB_STEP_SUMMARY: file });
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
    await rm(dir, { recursive: true });
  });
});
