/**
 * Trigger validation end to end: real k6 overloads the embedded stack's marketplace, the
 * stack's own autoscaler acts (healthy, or broken on purpose by a fault switch), and the
 * controller judges from Prometheus alone.
 */
import { describe, expect, it } from 'vitest';
import { readRun, runCli } from './helpers.ts';
import type { TriggerResult } from '../../src/controller/types.ts';

const PROFILE = 'test/fixtures/profiles/triggers.ts';
const TRIGGER = 'marketplace-search-latency';

async function judged(args: string[]): Promise<{ code: number | null; trigger: TriggerResult; stdout: string; status: string; reasons: string[] }> {
  const r = await runCli(['run', PROFILE, ...args]);
  expect(r.runDir, r.stderr.slice(-1500)).not.toBeNull();
  const { verdict } = await readRun(r.runDir!);
  const trigger = verdict.triggers.find((t) => t.id === TRIGGER)!;
  return { code: r.code, trigger, stdout: r.stdout, status: verdict.status, reasons: verdict.reasons };
}

describe('trigger validation against the embedded autoscaler', () => {
  it('a healthy autoscaler: fired-and-scaled with its lag within the grace period', async () => {
    const r = await judged([]);
    expect(r.trigger.outcome, r.reasons.join('\n')).toBe('fired-and-scaled');
    expect(r.trigger.lagSeconds).not.toBeNull();
    expect(r.trigger.lagSeconds!).toBeLessThanOrEqual(r.trigger.graceSeconds);
    expect(r.trigger.replicasAfter! - r.trigger.replicasBefore!).toBeGreaterThanOrEqual(3);
    expect(r.status).toBe('pass');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/marketplace-search-latency.*fired-and-scaled/);
  });

  it('ignore fault: fired-not-scaled, the run fails naming the trigger', async () => {
    const r = await judged(['--fault', `ignore:${TRIGGER}`]);
    expect(r.trigger.outcome).toBe('fired-not-scaled');
    expect(r.code, r.reasons.join('\n')).toBe(1);
    expect(r.reasons.join('\n')).toMatch(new RegExp(`trigger ${TRIGGER}: fired-not-scaled`));
  });

  it('late fault: scaled-late, with the lag beyond the grace period', async () => {
    const r = await judged(['--fault', `late:${TRIGGER}:8`]);
    expect(r.trigger.outcome).toBe('scaled-late');
    expect(r.trigger.lagSeconds!).toBeGreaterThan(r.trigger.graceSeconds);
    expect(r.code, r.reasons.join('\n')).toBe(1);
  });

  it('short fault: wrong-step when fewer replicas are added than promised', async () => {
    const r = await judged(['--fault', `short:${TRIGGER}:1`]);
    expect(r.trigger.outcome).toBe('wrong-step');
    expect(r.trigger.replicasAfter! - r.trigger.replicasBefore!).toBe(1);
    expect(r.code, r.reasons.join('\n')).toBe(1);
  });

  it('flap fault: flapping', async () => {
    const r = await judged(['--fault', `flap:${TRIGGER}`, '--time-scale', '15']);
    expect(r.trigger.outcome).toBe('flapping');
    // The fault scales down while the latency condition still holds: no starved second on the
    // harness side explains that, so even a busy machine leaves this row failing.
    expect(r.trigger.flapCycles!.length).toBeGreaterThanOrEqual(2);
    expect(r.trigger.flapCycles!.every((c) => c.heldAtDown)).toBe(true);
    expect(r.code, r.reasons.join('\n')).toBe(1);
  });

  it('the primary database trigger is reported as an alert, not as a missed scale-up', async () => {
    const r = await runCli(['run', 'test/fixtures/profiles/database.ts']);
    const { verdict } = await readRun(r.runDir!);
    const db = verdict.triggers.find((t) => t.id === 'database-cpu')!;
    expect(db.outcome, verdict.reasons.join('\n')).toBe('alert-only-fired');
    expect(db.status).toBe('pass');
    expect(db.firedAt).not.toBeNull();
    expect(verdict.triggers.find((t) => t.id === TRIGGER)!.outcome).toMatch(/fired-and-scaled|max-replicas-reached/);
  });
});
