import { describe, expect, it } from 'vitest';
import { buildSignoff, heldAtScale1, signoffHtml } from '../../src/report/signoff.ts';
import { makePlan, makeVerdict } from '../fixtures/report/synthetic.ts';
import type { Environment } from '../../src/run/environment.ts';

const env: Environment = { host: 'h', os: 'Linux', cpus: 2, memoryGiB: 24, node: 'v20', tools: { k6: '2.2.0 (built)' }, git: { revision: 'abc123', dirty: false }, at: '2026-11-22T00:00:00Z' };

describe('capacity sign-off document', () => {
  it('signs off when every run passed, with the capacity run headroom against the plan', () => {
    const plan = makePlan({ peakRate: 200, scale: 0.02 });
    const doc = buildSignoff({
      environment: env,
      capacityText: 'Future Capacity = ...',
      required: { rate: 10_000, label: 'the current peak' },
      runs: [{ title: 'peak', plan, verdict: makeVerdict({ status: 'pass', reasons: [] }), capacity: true }],
      interrupted: false,
    });
    expect(doc.signedOff).toBe(true);
    expect(heldAtScale1({ title: 'peak', plan, verdict: makeVerdict({ status: 'pass' }) })).toBe(10_000);
    expect(doc.markdown).toMatch(/# Capacity sign-off: SIGNED OFF/);
    expect(doc.markdown).toMatch(/\| 10,000 req\/s \| 100 % \|/);
    expect(doc.markdown).toContain('abc123');
  });

  it('lists blockers from failed runs and an interrupted suite', () => {
    const doc = buildSignoff({
      environment: env,
      capacityText: '',
      required: { rate: 69_685, label: 'future' },
      runs: [{ title: 'peak', plan: makePlan(), verdict: makeVerdict({ status: 'fail', reasons: ['SLO errors: whole run 5 % breaks errors <= 1 %'] }), capacity: true }],
      interrupted: true,
    });
    expect(doc.signedOff).toBe(false);
    expect(doc.blockers).toEqual(['the sign-off suite was interrupted: not every run completed', 'peak: SLO errors: whole run 5 % breaks errors <= 1 %']);
    expect(doc.markdown).toMatch(/\| not shown \|/);
    const html = signoffHtml(doc.markdown);
    expect(html).toMatch(/<h1>Capacity sign-off: BLOCKED<\/h1>/);
    expect(html).toMatch(/<li>peak: SLO errors/);
  });
});
