import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isK6Heading, isK6Progress, LiveConsole } from '../../src/controller/live-console.ts';
import { batchExpr, splitBatch } from '../../src/controller/live-query.ts';
import { stageAt } from '../../src/controller/live.ts';
import type { Plan } from '../../src/plan/types.ts';

function make(tty: boolean) {
  const raw: string[] = [];
  const lines: string[] = [];
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'live-')), 'live.log');
  const c = new LiveConsole({ tty, write: (t) => raw.push(t), log: (l) => lines.push(l), file, columns: () => 80 });
  return { c, raw, lines, file };
}

describe('k6 lines', () => {
  it('tells progress and summary headings from messages', () => {
    expect(isK6Progress('running (0m01.6s), 0023/0788 VUs, 257 complete and 0 interrupted iterations')).toBe(true);
    expect(isK6Progress('checkout_direct   [   3% ] 009/113 VUs    0m01.6s/1m0.003s  25.00 iters/s')).toBe(true);
    expect(isK6Progress('search_direct   ✓ [ 100% ] 0000/0405 VUs  1m0.003s  148.04 iters/s')).toBe(true);
    expect(isK6Progress('time="2026-11-30T21:58:01Z" level=warning msg="Request Failed"')).toBe(false);
    expect(isK6Heading('  █ TOTAL RESULTS ')).toBe(true);
    expect(isK6Heading('    HTTP')).toBe(true);
    expect(isK6Heading('    http_reqs......................: 21620     354.017821/s')).toBe(false);
  });
});

describe('the CI log', () => {
  it('drops progress, folds autoscaler, info and heading lines and repeats, keeps errors and the summary', () => {
    const { c, lines, file } = make(false);
    c.line('[k6] running (0m01.6s), 0023/0788 VUs, 257 complete and 0 interrupted iterations');
    c.line('[k6] time="2026-11-30T21:58:01Z" level=info msg="Experimental feature enabled"');
    c.line('[stack] autoscaler: auth-cpu up: auth 3 -> 5 (cpu 99.2 > 70 for 4.8s)');
    c.line('[stack] stack: first request at 2026-11-30T21:58:01.500Z');
    c.line("[stack] stack: samples pushed until Prometheus's first scrape (20 pushes)");
    c.line('[stack] stack: sample pushes to Prometheus stopped: no scrape within 30 s (120 pushes)');
    c.line('[k6] time="2026-11-30T21:58:02Z" level=warning msg="Request Failed" error="timeout"');
    c.line('[k6] time="2026-11-30T21:58:03Z" level=warning msg="Request Failed" error="timeout"');
    c.line('[k6] time="2026-11-30T21:58:04Z" level=warning msg="Request Failed" error="timeout"');
    c.line('[k6]   █ TOTAL RESULTS ');
    c.line('[k6]     http_req_failed................: 0.29%     63 out of 21620');
    c.line('[stack] stack: SIGTERM, stopping');
    c.line('breakpoint: errors broke; stopping the ramp');
    expect(lines).toEqual([
      '[stack] stack: sample pushes to Prometheus stopped: no scrape within 30 s (120 pushes)',
      '[k6] time="2026-11-30T21:58:02Z" level=warning msg="Request Failed" error="timeout"',
      '[k6]     http_req_failed................: 0.29%     63 out of 21620',
      '[stack] stack: SIGTERM, stopping',
      'breakpoint: errors broke; stopping the ramp',
    ]);
    expect(c.takeNotes()).toEqual(['k6 repeated 2 lines (live.log)', '3 lines of autoscaler/k6 info in live.log']);
    expect(c.takeNotes()).toEqual([]);
    // Nothing is lost: the file has every line but k6's progress.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(12);
  });

  it('prints at most maxDistinct different k6 messages, then counts', () => {
    const lines: string[] = [];
    const c = new LiveConsole({ tty: false, write: () => undefined, log: (l) => lines.push(l), maxDistinct: 2 });
    for (let i = 0; i < 5; i++) c.line(`[k6] time="x" level=error msg="boom ${i}"`);
    expect(lines).toHaveLength(2);
    expect(c.takeNotes()).toEqual(['k6 repeated 3 lines (live.log)']);
  });
});

describe('the terminal', () => {
  it('redraws the screen in place, folds progress, events and the banner, prints warnings above it', () => {
    const { c, raw, file } = make(true);
    c.draw(['header', 'auth 3', 'slo']);
    c.draw(['header', 'auth 5', 'slo']);
    c.line('[k6]      execution: local');
    c.line('[k6] time="x" level=info msg="Experimental feature enabled"');
    c.line('[k6] running (0m02.0s), 1/2 VUs');
    c.line('[k6] search_direct [ 3% ] 1/2 VUs');
    c.line('[k6] login_direct [ 3% ] 1/2 VUs');
    for (let i = 1; i <= 4; i++) c.line(`[stack] autoscaler: event ${i}`);
    c.line('[k6] time="x" level=warning msg="Request Failed"');
    expect(raw[0]).toBe('header\nauth 3\nslo\n');
    // Up three lines to the screen's first, erase to the end, draw again.
    expect(raw[1]).toBe('\x1b[3F\x1b[0Jheader\nauth 5\nslo\n');
    expect(raw[2]).toBe('\x1b[3F\x1b[0J[k6] time="x" level=warning msg="Request Failed"\nheader\nauth 5\nslo\n');
    expect(raw).toHaveLength(3);
    expect(c.events()).toEqual(['autoscaler: event 2', 'autoscaler: event 3', 'autoscaler: event 4']);
    c.line('[k6] running (0m03.0s), 1/2 VUs');
    // The progress block keeps its height while a new one comes in.
    expect(c.progress()).toEqual(['running (0m03.0s), 1/2 VUs', '', '']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(7);
  });

  it('after freeze (Ctrl-C, end of load) appends lines and no longer redraws', () => {
    const { c, raw, lines } = make(true);
    c.draw(['a', 'b']);
    c.freeze();
    c.draw(['a', 'c']);
    c.line('scale-harness: SIGINT');
    expect(raw).toEqual(['a\nb\n']);
    expect(lines).toEqual(['scale-harness: SIGINT']);
  });
});

describe('one query per tick', () => {
  it('tags each row and joins them with or; splits the answer back by tag', () => {
    const expr = batchExpr({ rate: 'sum(rate(a[5s]))', 'r:auth': 'max(b{deployment="auth"})' });
    expect(expr).toBe('label_replace(sum(rate(a[5s])), "live_row", "rate", "", "") or label_replace(max(b{deployment="auth"}), "live_row", "r:auth", "", "")');
    const m = splitBatch([
      { metric: { live_row: 'rate' }, value: [1, 353] },
      { metric: { live_row: 'r:auth', deployment: 'auth' }, value: [1, 5] },
      { metric: { live_row: 'r:auth', deployment: 'auth2' }, value: [1, 9] },
      { metric: { live_row: 'p95' }, value: [1, NaN] },
    ]);
    expect([...m]).toEqual([['rate', 353], ['r:auth', 5]]);
  });
});

describe('stages', () => {
  it('names the stage of the first scenario at an offset', () => {
    const plan = { scenarios: [{ stages: [{ durationSeconds: 5, target: 1 }, { durationSeconds: 10, target: 2 }] }] } as unknown as Plan;
    expect(stageAt(plan, 0)).toEqual({ stage: 1, stages: 2 });
    expect(stageAt(plan, 5)).toEqual({ stage: 2, stages: 2 });
    expect(stageAt(plan, 99)).toEqual({ stage: 2, stages: 2 });
  });
});
