/**
 * The journeys each stack offers, the service that serves them and how many HTTP requests one
 * iteration sends. scenarios/lib/journeys.ts implements them; the plan converts gateway
 * request rates into iteration rates with `requests`.
 */
import type { StackName } from '../src/plan/schema.ts';

export interface JourneySpec {
  /** Deployment that serves the journey (all its requests). */
  service: string;
  /** HTTP requests one iteration sends. */
  requests: number;
  /** Routes it calls, as `METHOD /path`. */
  routes: string[];
}

export const JOURNEYS: Record<StackName, Record<string, JourneySpec>> = {
  meqenet: {
    login: { service: 'auth', requests: 1, routes: ['POST /auth/login'] },
    search: { service: 'marketplace', requests: 1, routes: ['GET /marketplace/search'] },
    checkout: {
      service: 'payments',
      requests: 2,
      routes: ['POST /payments/credit-decision', 'POST /payments/checkout'],
    },
    rewards: { service: 'rewards', requests: 1, routes: ['GET /rewards/balance'] },
  },
  reloop: {
    browse: { service: 'backend', requests: 1, routes: ['GET /api/waste/categories'] },
    submit: { service: 'backend', requests: 1, routes: ['POST /api/waste/submissions'] },
    feed: { service: 'backend', requests: 1, routes: ['GET /api/community/feed'] },
  },
};
