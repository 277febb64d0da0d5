/**
 * junit.xml for CI: one <testsuite> per run (named by profile; a gate of several runs gives
 * several suites), one <testcase> per SLO (`slo:<id>`), per trigger (`trigger:<id>`), for the
 * request-count cross-check, per baseline metric (`baseline:<metric>`) and for the run itself.
 *
 * Inconclusive is written as <error type="inconclusive">, not <skipped>: CI tools count skipped
 * tests as green, and missing data must never pass. The `run:status` case carries the overall
 * status and its reasons, so the file is red exactly when the verdict is not `pass` (even when
 * the cause, an interrupted run or a k6 crash, is not one of the other cases).
 */
import junitModule from 'junit-report-builder';
import type { Builder, TestCase, TestSuite } from 'junit-report-builder';
import type { Status } from '../controller/types.ts';
import type { BaselineComparison } from './baseline.ts';
import { baselineMessage, crossCheckMessage, sloMessage, triggerMessage } from './format.ts';
import type { RunResult } from './types.ts';

// The package's types declare an ES default export, but Node loads its CommonJS build, whose
// module.exports is the builder itself: accept either shape.
const rootBuilder = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

/** Characters XML 1.0 cannot carry at all; they would make the builder throw. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const clean = (s: string) => s.replace(INVALID_XML, '\ufffd');

function addCase(suite: TestSuite, className: string, name: string, status: Status, message: string, type: string): TestCase {
  const tc = suite.testCase().className(clean(className)).name(clean(name));
  const msg = clean(message);
  if (status === 'fail') tc.failure(msg, clean(type));
  else if (status === 'inconclusive') tc.error(msg, 'inconclusive');
  tc.standardOutput(msg);
  return tc;
}

function addBaseline(suite: TestSuite, className: string, cmp: BaselineComparison): void {
  if (cmp.rows.length === 0) {
    addCase(suite, className, 'baseline:comparable', cmp.status, cmp.reason ?? 'baseline has no metrics', 'baseline');
    return;
  }
  for (const r of cmp.rows) {
    addCase(suite, className, `baseline:${r.metric}`, r.status, baselineMessage(r, cmp.baseline.runId), 'regression');
  }
}

/** Renders the JUnit XML for one or more runs. */
export function renderJunit(results: RunResult[]): string {
  const b = rootBuilder.newBuilder().name('scale-harness');
  const profiles = results.map((r) => r.verdict.profile);
  for (const { plan, verdict: v, baseline } of results) {
    const unique = profiles.filter((p) => p === v.profile).length === 1;
    const suite = b
      .testSuite()
      .name(clean(unique ? v.profile : `${v.profile} (${v.runId})`))
      .timestamp(new Date(v.startedAt * 1000))
      .time(Math.max(0, v.endedAt - v.startedAt))
      .property('runId', clean(v.runId))
      .property('status', v.status)
      .property('stack', clean(v.stack))
      .property('target', clean(v.target))
      .property('scale', String(v.scale))
      .property('timeScale', String(v.timeScale))
      .property('profileFile', clean(plan.profileFile));
    const className = `scale-harness.${v.profile}`;
    for (const s of v.slos) addCase(suite, className, `slo:${s.id}`, s.status, sloMessage(s, v.startedAt), `slo-${s.objective}`);
    for (const t of v.triggers) addCase(suite, className, `trigger:${t.id}`, t.status, triggerMessage(t, v.startedAt), t.outcome);
    addCase(suite, className, 'cross-check:request-count', v.crossCheck.status, crossCheckMessage(v), 'cross-check');
    if (baseline) addBaseline(suite, className, baseline);
    const why = v.reasons.length > 0 ? v.reasons.join('; ') : 'all checks passed';
    const run = [v.interrupted ? 'interrupted' : null, v.k6ExitCode ? `k6 exited ${v.k6ExitCode}` : null].filter(Boolean);
    addCase(suite, className, 'run:status', v.status, `${v.status}: ${run.length > 0 ? `${run.join(', ')}; ` : ''}${why}`, 'run');
  }
  return b.build();
}
