import { describe, expect, it } from 'vitest';
import { baselineFromVerdict, compareToBaseline } from '../../src/report/baseline.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { makePlan, makeVerdict } from '../fixtures/report/synthetic.ts';
import { findAll, parseXml, type XmlElement } from './xml.ts';

const byName = (root: XmlElement, name: string) => findAll(root, 'testcase').find((c) => c.attrs.name === name);

describe('renderJunit', () => {
  it('writes one case per SLO and trigger, plus cross-check and run status', () => {
    const v = makeVerdict();
    const root = parseXml(renderJunit([{ plan: makePlan(), verdict: v }]));
    expect(root.name).toBe('testsuites');
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['spike']);
    const names = findAll(root, 'testcase').map((c) => c.attrs.name);
    expect(names).toEqual([
      ...v.slos.map((s) => `slo:${s.id}`),
      ...v.triggers.map((t) => `trigger:${t.id}`),
      'cross-check:request-count',
      'run:status',
    ]);
    expect(suites[0]?.attrs.tests).toBe(String(names.length));
    expect(suites[0]?.attrs.failures).toBe('3');
    expect(suites[0]?.attrs.errors).toBe('1');
  });

  it('explains failures with observed vs bound, outcome and detail; inconclusive is an <error>', () => {
    const root = parseXml(renderJunit([{ plan: makePlan(), verdict: makeVerdict() }]));
    const slo = findAll(byName(root, 'slo:checkout-p95')!, 'failure')[0];
    expect(slo?.attrs.message).toBe('fail: observed 1130 ms, worst window 1810 ms (+95 s..+125 s) vs bound p95 <= 800 ms: credit decision queueing');
    const trig = findAll(byName(root, 'trigger:payments-queue')!, 'failure')[0];
    expect(trig?.attrs.type).toBe('scaled-late');
    expect(trig?.attrs.message).toContain('scaled-late (expect fire), fired +98 s, scaled +139 s, lag 41 s of grace 20 s');
    expect(trig?.attrs.message).toContain('replicas rose 41 s after firing');
    const inconclusive = byName(root, 'slo:rural-p99')!;
    expect(findAll(inconclusive, 'error')[0]?.attrs).toMatchObject({ type: 'inconclusive' });
    expect(findAll(inconclusive, 'skipped')).toHaveLength(0);
    expect(findAll(byName(root, 'slo:login-p95')!, 'failure')).toHaveLength(0);
  });

  it('adds one case per baseline row and one suite per run of a gate, escaping names', () => {
    const v = makeVerdict();
    const cmp = compareToBaseline(v, baselineFromVerdict(v));
    const evil = makeVerdict({ profile: 'a<b&"c"', runId: 'r2', status: 'inconclusive', reasons: ['k6 \u0001 crashed'] });
    const xml = renderJunit([
      { plan: makePlan(), verdict: v, baseline: cmp },
      { plan: makePlan(), verdict: evil, baseline: compareToBaseline(evil, { ...baselineFromVerdict(v), scale: 1 }) },
    ]);
    const root = parseXml(xml);
    const [first, second] = findAll(root, 'testsuite');
    expect(findAll(first!, 'testcase').filter((c) => c.attrs.name?.startsWith('baseline:'))).toHaveLength(cmp.rows.length);
    expect(second?.attrs.name).toBe('a<b&"c"');
    expect(findAll(byName(second!, 'baseline:comparable')!, 'error')[0]?.attrs.message).toContain('not comparable');
  });
});
