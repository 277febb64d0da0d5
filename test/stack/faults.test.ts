import { describe, expect, it } from 'vitest';
import { faultsByTrigger } from '../../src/stack/faults.ts';

describe('faultsByTrigger', () => {
  const ids = ['auth-cpu', 'orders-queue'];

  it('keys valid faults by trigger', () => {
    const m = faultsByTrigger([{ kind: 'late', trigger: 'auth-cpu', delaySeconds: 5 }], ids);
    expect([...m.entries()]).toEqual([['auth-cpu', { kind: 'late', trigger: 'auth-cpu', delaySeconds: 5 }]]);
  });

  it('names the fault, key and value of a malformed fault', () => {
    expect(() => faultsByTrigger([{ kind: 'ignore', trigger: 'auth-cpu' }, { kind: 'late', trigger: 'auth-cpu', delaySeconds: -1 }], ids)).toThrow(
      'stack options: faults[1].delaySeconds: Too small: expected number to be >0 (got -1)',
    );
    expect(() => faultsByTrigger([{ kind: 'slow', trigger: 'auth-cpu' }], ids)).toThrow(
      `stack options: faults[0].kind: Invalid discriminator value. Expected 'ignore' | 'late' | 'short' | 'flap' (got "slow")`,
    );
  });

  it('rejects an unknown trigger and a second fault on one trigger', () => {
    expect(() => faultsByTrigger([{ kind: 'flap', trigger: 'nope' }], ids)).toThrow(
      'stack options: faults[0].trigger: no trigger "nope"; known: auth-cpu, orders-queue (got "nope")',
    );
    expect(() => faultsByTrigger([{ kind: 'flap', trigger: 'auth-cpu' }, { kind: 'ignore', trigger: 'auth-cpu' }], ids)).toThrow(
      'stack options: faults[1].trigger: already has a fault; one fault per trigger (got "auth-cpu")',
    );
  });
});
