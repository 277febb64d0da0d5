/**
 * The user journeys of the built-in stacks, one function each (tagged by their scenario). The
 * number of requests each sends must match its stack module's `journeys` (profiles/stacks/; the
 * plan converts req/s to iterations/s with it). A stack without functions here (a user's own)
 * gets `routeJourney`: its journey's routes called in order.
 */
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import type { PlanScenario } from '../../src/plan/types.ts';

type Res = RefinedResponse<ResponseType | undefined>;
type Params = { headers: Record<string, string> };

/**
 * Request parameters, built once per scenario and route (not per request: the JS VM is most of
 * k6's CPU). Errors are judged from http_req_failed (a status outside 2xx-3xx), so there is no
 * check() per response: it would only add a k6_checks sample to every request. No per-request
 * tags either: the verdict reads the scenario's tags (plan.ts), and every tag on every sample
 * is k6 CPU.
 */
const PARAMS = new Map<string, Params>();

function params(s: PlanScenario, route: string, body = false): Params {
  const key = `${s.name} ${route}`;
  let p = PARAMS.get(key);
  if (!p) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (s.saveData) headers['Save-Data'] = 'on';
    // k6's own timeout (60 s) applies.
    p = { headers };
    PARAMS.set(key, p);
  }
  return p;
}

function customer(): string {
  return `c${Math.floor(Math.random() * 100_000)}`;
}

export type Journey = (s: PlanScenario) => Res[];

/** Calls the journey's routes in order (an empty JSON body for POST). */
export function routeJourney(s: PlanScenario): Res[] {
  return (s.routes ?? []).map((route) => {
    const [method = 'GET', path = '/'] = route.split(' ');
    const r = http.request(method, `${s.baseUrl}${path}`, method === 'POST' ? '{}' : null, params(s, route, method === 'POST'));
    return r;
  });
}

const MEQENET: Record<string, Journey> = {
  login(s) {
    const r = http.post(`${s.baseUrl}/auth/login`, JSON.stringify({ phone: customer(), pin: '0000' }), params(s, 'POST /auth/login', true));
    return [r];
  },
  search(s) {
    const terms = ['teff', 'coffee', 'phone', 'shoes', 'injera', 'solar', 'sofa', 'tv'];
    const q = terms[Math.floor(Math.random() * terms.length)] ?? 'teff';
    const r = http.get(`${s.baseUrl}/marketplace/search?q=${q}`, params(s, 'GET /marketplace/search'));
    return [r];
  },
  checkout(s) {
    const c = customer();
    const amount = 500 + Math.floor(Math.random() * 20_000);
    const d = http.post(`${s.baseUrl}/payments/credit-decision`, JSON.stringify({ customer: c, amount }), params(s, 'POST /payments/credit-decision', true));
    const p = http.post(`${s.baseUrl}/payments/checkout`, JSON.stringify({ customer: c, amount, plan: 'pay-in-4' }), params(s, 'POST /payments/checkout', true));
    return [d, p];
  },
  rewards(s) {
    const r = http.get(`${s.baseUrl}/rewards/balance?customer=${customer()}`, params(s, 'GET /rewards/balance'));
    return [r];
  },
};

const RELOOP: Record<string, Journey> = {
  browse(s) {
    const r = http.get(`${s.baseUrl}/api/waste/categories`, params(s, 'GET /api/waste/categories'));
    return [r];
  },
  submit(s) {
    const r = http.post(`${s.baseUrl}/api/waste/submissions`, JSON.stringify({ category: 'plastic', kg: 2 }), params(s, 'POST /api/waste/submissions', true));
    return [r];
  },
  feed(s) {
    const r = http.get(`${s.baseUrl}/api/community/feed`, params(s, 'GET /api/community/feed'));
    return [r];
  },
};

/** Journey functions per built-in stack, by journey name. */
export const JOURNEYS: Record<string, Record<string, Journey>> = { meqenet: MEQENET, reloop: RELOOP };
