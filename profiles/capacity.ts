/**
 * The capacity plans of the two seeds, as data. src/plan/capacity.ts validates them and turns
 * them into target rates.
 *
 * Decisions where the plans are silent, recorded here once:
 * - "10,000 TPS (API Gateway)" is read as 10,000 gateway requests/s: one request, one transaction.
 * - Monthly growth: 5 %, a conservative middle for a young BNPL product (the plan asks for a
 *   business forecast and gives none). Over 6 months that is x1.34.
 * - Safety factor 2.0, the low end of the plan's "typically 2.0 - 3.0".
 * - The traffic mix (shares of gateway requests) is an assumption: search dominates (45 %),
 *   then logins (20 %), checkouts (25 % of requests, 12.5 % of iterations: one checkout sends
 *   2 requests) and rewards lookups (10 %). Every Meqenet load profile takes this mix, and the
 *   embedded stack (profiles/stacks/meqenet.ts) is sized for it.
 * - ReLoop users -> req/s: at the daily peak 2 % of registered users are in the app at once,
 *   each sending 6 API requests a minute (one every 10 s while browsing or submitting).
 */
import type { CapacityPlanInput } from '../src/plan/capacity.ts';
import type { PhasePlanInput } from '../src/plan/phases.ts';

const MEQENET_SOURCE = 'Meqenet scalability plan, §2 Capacity Planning Model and §8 Current State';

export const MEQENET_CAPACITY_PLAN: CapacityPlanInput = {
  stack: 'meqenet',
  source: MEQENET_SOURCE,
  inputs: {
    currentPeakRps: 10_000,
    dailyActiveUsers: 100_000,
    monthlyGrowth: 0.05,
    months: 6,
    seasonalFactor: 2.0,
    featureInteractionFactor: 1.3,
    safetyFactor: 2.0,
  },
  mix: { search: 0.45, login: 0.2, checkout: 0.25, rewards: 0.1 },
};

/** The peak shape for a gateway rate (req/s at scale 1): ramp 3 min, hold 10 min, a last minute. */
export function peakStages(rate: number): Array<{ duration: number; target: number }> {
  return [
    { duration: 180, target: rate },
    { duration: 600, target: rate },
    { duration: 60, target: rate },
  ];
}

const RELOOP_SOURCE = 'ReLoop scalability strategy, Capacity Planning: User Growth Projections, Resource Requirements';

export const RELOOP_PHASE_PLAN: PhasePlanInput = {
  stack: 'reloop',
  source: RELOOP_SOURCE,
  conversion: { peakConcurrentShare: 0.02, requestsPerUserPerMinute: 6 },
  mix: { browse: 0.5, feed: 0.35, submit: 0.15 },
  phases: [
    {
      id: 'phase1',
      months: '1-6',
      usersFrom: 1_000,
      usersTo: 10_000,
      practices: ['single server deployment', 'basic monitoring', 'manual scaling'],
      resources: { servers: '1', cpu: '4 cores', memory: '8GB', storage: '100GB SSD', bandwidth: '1TB/month' },
    },
    {
      id: 'phase2',
      months: '6-18',
      usersFrom: 10_000,
      usersTo: 50_000,
      practices: ['load balancer introduction', 'database read replicas', 'automated monitoring alerts'],
      resources: {
        servers: '3',
        cpu: '8 cores each',
        memory: '16GB each',
        storage: '500GB SSD each',
        bandwidth: '5TB/month',
      },
    },
    {
      id: 'phase3',
      months: '18-36',
      usersFrom: 50_000,
      usersTo: 200_000,
      practices: ['microservices migration', 'database sharding', 'advanced caching strategies'],
      resources: {
        servers: '10-15',
        cpu: '16 cores each',
        memory: '32GB each',
        storage: '1TB SSD each',
        bandwidth: '20TB/month',
      },
    },
    {
      id: 'phase4',
      months: '36+',
      usersFrom: 200_000,
      usersTo: null,
      practices: ['full microservices architecture', 'multi-region deployment', 'advanced analytics and ML'],
      resources: {
        servers: '50+',
        cpu: 'Auto-scaling based on demand',
        memory: 'Auto-scaling based on demand',
        storage: 'Distributed storage system',
        bandwidth: 'CDN + unlimited',
      },
    },
  ],
};
