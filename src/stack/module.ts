/**
 * A stack module: everything the harness knows about one system under test, in one file. Its
 * service spec (deployments with their modelled capacity, routes, autoscaler periods: what the
 * embedded stack runs), its journeys (what k6 sends), its scaling-trigger table (what the
 * verdict judges and the embedded autoscaler obeys) and the target mapping its real deployment
 * is read with. The built-in modules are in profiles/stacks/; a user's own module can live
 * anywhere and be named by path from a profile (see registry.ts).
 */
import { z } from 'zod';
import { TriggerSchema } from '../plan/schema.ts';
import { STACK_SPEC_FIELDS, checkSpec, routeKey } from './spec.ts';

/** One journey: the deployment that serves it and the requests one iteration sends, in order. */
export const JourneySchema = z.strictObject({
  /** Deployment that serves the journey (all its requests). */
  service: z.string(),
  /** HTTP requests one iteration sends; the plan turns req/s into iterations/s with it. */
  requests: z.number().int().positive(),
  /** Routes it calls, as `METHOD /path`, in order (k6 calls them so unless the stack has its own k6 journey). */
  routes: z.array(z.string().regex(/^(GET|POST) \/\S*$/, 'must look like "GET /path" or "POST /path"')).min(1),
});
export type JourneySpec = z.infer<typeof JourneySchema>;

export const StackModuleSchema = z
  .strictObject({
    ...STACK_SPEC_FIELDS,
    journeys: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'), JourneySchema),
    /** The plan's scaling-trigger table for this stack. */
    triggers: z.array(TriggerSchema),
    /** Target mapping (profiles/targets.ts) that reads a real deployment of this stack. @default 'kubernetes' */
    targetMapping: z.string().default('kubernetes'),
  })
  .superRefine((s, ctx) => {
    const issue = (path: PropertyKey[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    checkSpec(s, issue);
    const deployments = new Set(s.deployments.map((d) => d.name));
    const routes = new Set(s.routes.map(routeKey));
    for (const [name, j] of Object.entries(s.journeys)) {
      if (!deployments.has(j.service)) issue(['journeys', name, 'service'], `no deployment "${j.service}"`);
      j.routes.forEach((r, i) => {
        if (!routes.has(r)) issue(['journeys', name, 'routes', i], `no route "${r}"`);
      });
    }
    const ids = new Set<string>();
    s.triggers.forEach((t, i) => {
      if (ids.has(t.id)) issue(['triggers', i, 'id'], `duplicate trigger id "${t.id}"`);
      ids.add(t.id);
      if (!deployments.has(t.service)) issue(['triggers', i, 'service'], `no deployment "${t.service}"`);
    });
  });
export type StackModule = z.infer<typeof StackModuleSchema>;
export type StackModuleInput = z.input<typeof StackModuleSchema>;
