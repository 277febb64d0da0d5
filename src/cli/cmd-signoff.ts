/**
 * `signoff`: the pre-release capacity sign-off. Runs the capacity suite (the peak at the
 * capacity plan's target, the holiday spike, the rural cohorts) and writes one document,
 * signoff.md and signoff.html, with the environment, versions, git revision, plan inputs,
 * every verdict, the headroom against the plan and the decision or its blockers. With
 * `--engine k6-operator` the runs are TestRuns on the cluster: the full-scale sign-off.
 */
import path from 'node:path';
import { InputError } from '../errors.ts';
import { capacityTargetRate } from '../plan/capacity.ts';
import { formatPlan } from '../plan/capacity-format.ts';
import { describeEnvironment } from '../run/environment.ts';
import { runSuite } from '../run/suite.ts';
import { buildSignoff, signoffHtml } from '../report/signoff.ts';
import { peakStages } from '../../profiles/capacity.ts';
import { choice, parse, list, optional, str } from './args.ts';
import { FLAGS } from './flags.ts';
import { checkPlan, checkUrl, CommandLock } from './guard.ts';
import { writeFileAtomic } from '../report/run-folder.ts';
import { RUNS_DIR } from '../util/paths.ts';
import type { Plan } from '../plan/types.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './main.ts';
import { suiteEngine, suiteMapping } from './cmd-operator.ts';

const CAPACITY = { current: 'the current peak', seasonal: 'the holiday peak: current x seasonal factor', future: 'the capacity formula: future capacity' } as const;

export async function signoffCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS.signoff);
  if (positionals.length) throw new InputError(`signoff: takes no arguments (got ${positionals.join(' ')})`);
  const kind = choice('--capacity', str(values, 'capacity') ?? 'future', CAPACITY);
  for (const f of ['target', 'prometheus']) checkUrl(`--${f}`, str(values, f));
  const required = capacityTargetRate(kind);
  const engine = await suiteEngine(values, 'signoff', ['peak', 'spike', 'rural'], io);
  const common = {
    ...suiteMapping(values),
    quick: values.quick === true,
    ...optional('target', str(values, 'target')),
    ...optional('prometheus', str(values, 'prometheus')),
    allowHosts: list(values, 'allow-host'),
    onPrepared: (plan: Plan) => checkPlan(plan, []),
  };
  const lock = new CommandLock(['signoff', ...argv].join(' '), values['allow-concurrent'] === true, io.err);
  await lock.acquire(RUNS_DIR);
  let suite: Awaited<ReturnType<typeof runSuite>>;
  let environment: Awaited<ReturnType<typeof describeEnvironment>>;
  try {
    environment = await describeEnvironment();
    suite = await runSuite({
      name: 'signoff',
      entries: [
        { name: `peak at ${Math.round(required)} req/s`, options: { profile: 'peak', ...common, stagesOverride: { startRate: 0, stages: peakStages(required) }, inputs: { capacity: { kind, required } } } },
        { name: 'holiday spike', options: { profile: 'spike', ...common } },
        { name: 'rural cohorts', options: { profile: 'rural', ...common } },
      ],
      ...engine,
      ...(signal ? { signal } : {}),
      log: (l) => io.err(l),
    });
    for (const r of suite.runs) await lock.note(r.result.runDir, r.result.verdict);
  } finally {
    lock.release();
  }
  const doc = buildSignoff({
    environment,
    capacityText: formatPlan(undefined, null),
    required: { rate: required, label: CAPACITY[kind] },
    runs: suite.runs.map((r, i) => ({
      title: ['peak at the plan target', 'holiday spike', 'rural cohorts'][i] ?? r.result.plan.profile,
      plan: r.result.plan,
      verdict: r.result.verdict,
      capacity: i === 0,
    })),
    interrupted: suite.interrupted,
  });
  const mdFile = path.join(suite.dir, 'signoff.md');
  const htmlFile = path.join(suite.dir, 'signoff.html');
  await writeFileAtomic(mdFile, doc.markdown);
  await writeFileAtomic(htmlFile, signoffHtml(doc.markdown));
  io.out(`capacity sign-off: ${doc.signedOff ? 'SIGNED OFF' : 'BLOCKED'}`);
  for (const b of doc.blockers) io.out(`  blocker: ${b}`);
  io.out(`document: ${path.relative(process.cwd(), mdFile)} and signoff.html`);
  if (suite.interrupted) return EXIT.interrupted;
  return doc.signedOff ? EXIT.pass : suite.status === 'inconclusive' ? EXIT.inconclusive : EXIT.fail;
}
