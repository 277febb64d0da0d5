/**
 * `signoff`: the pre-release capacity sign-off. Runs the capacity suite (the peak at the
 * capacity plan's target, the holiday spike, the rural cohorts) and writes one document,
 * signoff.md and signoff.html, with the environment, versions, git revision, plan inputs,
 * every verdict, the headroom against the plan and the decision or its blockers.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { capacityTargetRate } from '../plan/capacity.ts';
import { formatPlan } from '../plan/capacity-format.ts';
import { describeEnvironment } from '../run/environment.ts';
import { runSuite } from '../run/suite.ts';
import { buildSignoff, signoffHtml } from '../report/signoff.ts';
import { peakStages } from '../../profiles/capacity.ts';
import { parse, list, str } from './args.ts';
import { EXIT } from './exit-codes.ts';
import { optional } from './cmd-run.ts';
import type { Io } from './main.ts';

const CAPACITY = { current: 'the current peak', seasonal: 'the holiday peak: current x seasonal factor', future: 'the capacity formula: future capacity' } as const;

export async function signoffCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values } = parse(argv, {
    quick: { type: 'boolean' },
    capacity: { type: 'string' },
    target: { type: 'string' },
    prometheus: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
  });
  const kind = (str(values, 'capacity') ?? 'future') as keyof typeof CAPACITY;
  if (!(kind in CAPACITY)) throw new InputError(`--capacity: must be current, seasonal or future (got ${JSON.stringify(str(values, 'capacity'))})`);
  const required = capacityTargetRate(kind);
  const common = {
    quick: values.quick === true,
    ...optional('target', str(values, 'target')),
    ...optional('prometheus', str(values, 'prometheus')),
    allowHosts: list(values, 'allow-host'),
  };
  const environment = await describeEnvironment();
  const suite = await runSuite({
    name: 'signoff',
    entries: [
      { name: `peak at ${Math.round(required)} req/s`, options: { profile: 'peak', ...common, stagesOverride: { startRate: 0, stages: peakStages(required) }, inputs: { capacity: { kind, required } } } },
      { name: 'holiday spike', options: { profile: 'spike', ...common } },
      { name: 'rural cohorts', options: { profile: 'rural', ...common } },
    ],
    ...(signal ? { signal } : {}),
    log: (l) => io.err(l),
  });
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
  await writeFile(mdFile, doc.markdown);
  await writeFile(htmlFile, signoffHtml(doc.markdown));
  io.out(`capacity sign-off: ${doc.signedOff ? 'SIGNED OFF' : 'BLOCKED'}`);
  for (const b of doc.blockers) io.out(`  blocker: ${b}`);
  io.out(`document: ${path.relative(process.cwd(), mdFile)} and signoff.html`);
  if (suite.interrupted) return EXIT.interrupted;
  return doc.signedOff ? EXIT.pass : suite.status === 'inconclusive' ? EXIT.inconclusive : EXIT.fail;
}
