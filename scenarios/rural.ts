/** rural: the load shape comes from the resolved plan (profiles/runs/rural.ts). */
import { loadPlan, optionsFor } from './lib/plan.ts';
import { runJourney } from './lib/run.ts';

const plan = loadPlan();
export const options = optionsFor(plan);

export function journey(): void {
  runJourney(plan);
}

export default journey;
