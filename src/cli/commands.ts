/**
 * The command registry: name -> handler. Handlers are imported when their command runs, so a
 * command's dependencies never slow down (or break) another command. Handlers return an exit
 * code; they never exit.
 */
import type { Io } from './main.ts';

export interface Command {
  summary: string;
  run(argv: string[], io: Io, signal?: AbortSignal): Promise<number>;
}

const RUN_HELP = '[--quick] [--duration 5m] [--scale S] [--time-scale T] [--target URL --prometheus URL] [--containers|--no-containers]';

export const COMMANDS: Record<string, Command> = {
  run: { summary: `run <profile> ${RUN_HELP}`, run: async (a, io, s) => (await import('./cmd-run.ts')).runCommand(a, io, s) },
  gate: {
    summary: 'nightly CI gate: spike, rural and a soak slice, quick, with baselines [--only NAME] [--update-baseline] [--baselines DIR]',
    run: async (a, io, s) => (await import('./cmd-gate.ts')).gateCommand(a, io, s),
  },
  signoff: {
    summary: 'pre-release capacity sign-off: peak at the plan target, holiday spike, rural cohorts [--quick] [--capacity current|seasonal|future]',
    run: async (a, io, s) => (await import('./cmd-signoff.ts')).signoffCommand(a, io, s),
  },
  judge: {
    summary: 'judge a run something else produced, from Prometheus: --profile P --testid ID --prometheus URL [--from T --to T] [--summary FILE]... [--mapping M]',
    run: async (a, io) => (await import('./cmd-judge.ts')).judgeCommand(a, io),
  },
  plan: { summary: 'print the capacity formula, per-service targets, growth phases and holiday dates [--year N]', run: async (a, io) => (await import('./cmd-plan.ts')).planCommand(a, io) },
  dashboards: {
    summary: 'write Grafana dashboards, alerting rules and autoscaling manifests [--grafana-url URL]',
    run: async (a, io) => (await import('./cmd-dashboards.ts')).dashboardsCommand(a, io),
  },
  stack: { summary: 'run the embedded reference stack alone [--stack meqenet|reloop] [--port N]', run: async (a, io, s) => (await import('./cmd-tools.ts')).stackCommand(a, io, s) },
  setup: { summary: 'provision k6, Prometheus and Toxiproxy now (otherwise done on first use)', run: async (a, io) => (await import('./cmd-tools.ts')).setupCommand(a, io) },
};

export function usage(): string {
  const lines = ['usage: scale-harness <command> [flags]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(11)} ${c.summary}`);
  lines.push('', 'exit codes: 0 pass, 1 verdict failed, 2 bad input, 3 inconclusive, 4 tool missing, 130 interrupted');
  return lines.join('\n');
}
