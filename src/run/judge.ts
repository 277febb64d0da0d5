/** Judge: the verdict of a run from its Prometheus; a judge that cannot finish says inconclusive. */
import { judgeTriggers } from '../controller/triggers.ts';
import type { Verdict } from '../controller/types.ts';
import { inconclusiveVerdict, judgeRun } from '../controller/verdict.ts';
import type { MetricSource } from '../metrics/client.ts';
import type { Plan } from '../plan/types.ts';
import type { LoadOutcome } from './load.ts';
import type { PreparedRun } from './prepare.ts';
import { applyBlame } from '../health/blame.ts';
import { buildHealth } from '../health/evidence.ts';

/** Extra time after the load for the last trigger scale-ups to show, s. */
const TRIGGER_TAIL_SECONDS = 2;

export interface JudgeEnvironment {
  source: MetricSource;
  scrapeIntervalSeconds: number;
  stackJob?: string;
}

/** The verdict, with the harness side's health recorded and the rows it explains blamed on it. */
export async function judge(prep: PreparedRun, env: JudgeEnvironment, plan: Plan, load: LoadOutcome): Promise<Verdict> {
  const verdict = await judgeRows(prep, env, plan, load);
  const health = await buildHealth({
    ...load.health,
    source: env.source,
    ...(env.stackJob ? { stackJob: env.stackJob } : {}),
    runId: plan.runId,
    scrapeIntervalSeconds: env.scrapeIntervalSeconds,
    droppedIterations: load.summary && load.summary.unreadable.length === 0 ? load.summary.droppedIterations : null,
  });
  return applyBlame(verdict, health, plan);
}

async function judgeRows(prep: PreparedRun, env: JudgeEnvironment, plan: Plan, load: LoadOutcome): Promise<Verdict> {
  const target = prep.target ?? 'embedded';
  const scrapeIntervalSeconds = env.scrapeIntervalSeconds;
  try {
    return await judgeRun(env.source, plan, {
      window: load.window,
      k6Summary: load.summary,
      k6ExitCode: load.k6ExitCode,
      interrupted: load.interrupted,
      stoppedAtBreak: load.stoppedAtBreak,
      ...(env.stackJob ? { stackJob: env.stackJob } : {}),
      scrapeIntervalSeconds,
      target,
      evidence: { mapping: prep.mapping, namespace: prep.namespace },
      judgeTriggers: (src, p, win) =>
        judgeTriggers(src, p, { start: win.start, end: win.end + TRIGGER_TAIL_SECONDS }, { scrapeIntervalSeconds, mapping: prep.mapping, namespace: prep.namespace }),
    });
  } catch (err) {
    return inconclusiveVerdict(plan, { window: load.window, interrupted: load.interrupted, k6ExitCode: load.k6ExitCode, target }, `could not judge: ${(err as Error).message}`);
  }
}
