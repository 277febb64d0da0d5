import { describe, expect, it } from 'vitest';
import { formatFleet } from '../../src/k8s/fleet.ts';

describe('the runner fleet printed by `plan`', () => {
  it('sizes runners for the peak, the holiday surge and the future target at 2,000 req/s each', () => {
    const text = formatFleet();
    // 10,000 / 2,000 = 5; 20,000 / 2,000 = 10; 69,685 / 2,000 = 34.8 -> 35 (2 cores each).
    expect(text).toMatch(/peak \(current\)\s+10,000\s+5\s+2 cores, 2Gi, 2,000 req\/s\s+10 cores/);
    expect(text).toMatch(/holiday surge\s+20,000\s+10\s+2 cores, 2Gi, 2,000 req\/s\s+20 cores/);
    expect(text).toMatch(/future target\s+69,685\s+35\s+2 cores, 2Gi, 1,991 req\/s\s+70 cores/);
  });

  it('follows a different per-runner rate', () => {
    expect(formatFleet(5000)).toMatch(/future target\s+69,685\s+14\s/);
  });
});
