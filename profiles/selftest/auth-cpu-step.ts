/**
 * For the self-test's late cases on a CPU row: auth's CPU steps from about 38 % to about 82 %
 * (login traffic from 1,200 to 2,600 req/s at scale 1) and holds there, so the signal crosses
 * the measurement band around 70 % (66.5 to 73.5 %) in a fraction of a second and stays well
 * beyond it for the trigger's 5-minute window. On the holiday spike auth CPU climbs through the
 * band for seconds and sits near 70 %: lateness there is not judged by design, so a late fault
 * could not be seen. Auth's p95 stays under auth-latency's 500 ms at 82 %, so auth-cpu is the
 * only row that acts on auth. The other services idle at a quarter of their capacity.
 */
import { defineProfile } from '../../src/plan/schema.ts';

/** Shares of gateway requests: login-heavy, so that auth alone is pushed. */
const mix = { login: 1 };
const login = (perSecond: number): number => perSecond / mix.login;

export default defineProfile({
  name: 'auth-cpu-step',
  description: "auth's CPU steps from ~38 % to ~82 % and holds: auth-cpu must fire and add 2",
  stack: 'meqenet',
  scenario: 'spike',
  startRate: login(1_200),
  stages: [
    { duration: '3m', target: login(1_200) },
    { duration: '10s', target: login(2_800) },
    { duration: '25m', target: login(2_800) },
  ],
  mix,
  slos: [
    { id: 'login-p95', objective: 'latency', percentile: 95, maxMs: 1500, scope: { journey: 'login' } },
    { id: 'errors', objective: 'error-rate', max: 0.01, windowMax: 0.1 },
    { id: 'achieved', objective: 'achieved-rate', min: 0.95 },
  ],
  sloWindow: '5m',
  expect: { 'auth-cpu': 'fire', 'database-cpu': 'quiet' },
  quick: { scale: 0.1, timeScale: 66 },
});
