import { describe, expect, it } from 'vitest';
import { renderTable, textTable, useColor } from '../../src/report/table.ts';
import { makePlan, makeVerdict } from '../fixtures/report/synthetic.ts';

describe('renderTable', () => {
  it('renders fixed-width plain text without colour codes', () => {
    const out = renderTable({ plan: makePlan(), verdict: makeVerdict() }, { color: false });
    expect(out).not.toContain('\x1b[');
    expect(out.split('\n')[0]).toBe('spike  run spike-20261122-014400  FAIL');
    const sloLines = out.split('\n').filter((l) => /^ {2}(SLO|login-p95|checkout-p95|errors|rural-p99) /.test(l));
    expect(sloLines).toHaveLength(5);
    const bounds = ['BOUND', ...makeVerdict().slos.map((s) => s.bound)];
    expect(new Set(sloLines.map((l, i) => l.indexOf(bounds[i] ?? '?'))).size).toBe(1);
    expect(out).toContain('payments-queue');
    expect(out).toContain('  - trigger payments-queue: scaled-late (lag 41 s > grace 20 s)');
  });

  it('colours status cells after padding, so columns still line up', () => {
    const plain = textTable(['A', 'STATUS', 'B'], [['x', 'PASS', 'y'], ['xx', 'INCONCLUSIVE', 'z']], { color: false, maxCell: 40 }, 1);
    const coloured = textTable(['A', 'STATUS', 'B'], [['x', 'PASS', 'y'], ['xx', 'INCONCLUSIVE', 'z']], { color: true, maxCell: 40 }, 1);
    expect(coloured).toContain('\x1b[32mPASS        \x1b[0m');
    expect(coloured.replaceAll('\x1b[32m', '').replaceAll('\x1b[33m', '').replaceAll('\x1b[0m', '')).toBe(plain);
    expect(textTable(['A'], [['a'.repeat(20)]], { color: false, maxCell: 10 })).toContain('aaaaaaa...');
  });

  it('uses colour only on a TTY with NO_COLOR unset', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
  });
});
