import { describe, expect, it } from 'vitest';
import { exitForError, exitForStatus, exitForVerdict } from '../../src/cli/exit-codes.ts';
import { HarnessError, InputError, ToolError } from '../../src/errors.ts';

describe('exit codes', () => {
  it('maps a verdict to 0 pass, 1 fail, 3 inconclusive', () => {
    expect(exitForStatus('pass', false)).toBe(0);
    expect(exitForStatus('fail', false)).toBe(1);
    expect(exitForStatus('inconclusive', false)).toBe(3);
  });

  it('exits 130 for an interrupted run, whatever its verdict', () => {
    expect(exitForStatus('pass', true)).toBe(130);
    expect(exitForStatus('fail', true)).toBe(130);
    expect(exitForStatus('inconclusive', true)).toBe(130);
  });

  it('exits 3 for a run whose k6, Prometheus or stack died, and keeps 130 for the user', () => {
    const crashed = { status: 'inconclusive' as const, interrupted: true, health: { crash: 'Prometheus died' } };
    expect(exitForVerdict(crashed, false)).toBe(3);
    expect(exitForVerdict(crashed, true)).toBe(130);
    expect(exitForVerdict({ status: 'inconclusive', interrupted: true }, false)).toBe(130);
    expect(exitForVerdict({ status: 'fail', interrupted: false }, false)).toBe(1);
  });

  it('maps errors by kind: 2 input, 4 tool, 3 inconclusive, 130 interrupted', () => {
    expect(exitForError(new InputError('profiles/x.ts: stages[0].target: bad (got -1)'))).toBe(2);
    expect(exitForError(new ToolError('k6 could not be built'))).toBe(4);
    expect(exitForError(new HarnessError('inconclusive', 'Prometheus is unreachable'))).toBe(3);
    expect(exitForError(new HarnessError('interrupted', 'stopped'))).toBe(130);
  });

  it('treats an unknown error as inconclusive, never as a pass or a verdict failure', () => {
    expect(exitForError(new Error('boom'))).toBe(3);
    expect(exitForError('a string')).toBe(3);
    expect(exitForError(undefined)).toBe(3);
  });
});
