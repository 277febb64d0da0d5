/**
 * The command registry: name -> handler. Handlers are imported when their command runs, so a
 * command's dependencies never slow down (or break) another command. Handlers return an exit
 * code; they never exit.
 */
import type { Io } from './main.ts';
import { FLAGS, flagHelp, type CommandName, type FlagTable } from './flags.ts';

export interface Command {
  summary: string;
  /** Usage line after `scale-harness`, e.g. `run <profile> [flags]`. */
  usage: string;
  flags: FlagTable;
  run(argv: string[], io: Io, signal?: AbortSignal): Promise<number>;
}

const DEFS: Record<CommandName, Omit<Command, 'flags'>> = {
  run: {
    summary: 'one load run: run <profile> [--quick] [--duration 5m] [--scale S] [--time-scale T] [--target URL --prometheus URL] [--containers|--no-containers]',
    usage: 'run <profile> [flags]   (profile: a name in profiles/ or a path)',
    run: async (a, io, s) => (await import('./cmd-run.ts')).runCommand(a, io, s),
  },
  gate: {
    summary: 'nightly CI gate: spike, rural and a soak slice, quick, with baselines [--only NAME] [--update-baseline] [--baselines DIR]',
    usage: 'gate [flags]',
    run: async (a, io, s) => (await import('./cmd-gate.ts')).gateCommand(a, io, s),
  },
  signoff: {
    summary: 'pre-release capacity sign-off: peak at the plan target, holiday spike, rural cohorts [--quick] [--capacity current|seasonal|future]',
    usage: 'signoff [flags]',
    run: async (a, io, s) => (await import('./cmd-signoff.ts')).signoffCommand(a, io, s),
  },
  judge: {
    summary: 'judge a run something else produced, from Prometheus: --profile P --testid ID --prometheus URL [--from T --to T] [--summary FILE]... [--mapping M]',
    usage: 'judge --profile P --testid ID --prometheus URL [flags]',
    run: async (a, io) => (await import('./cmd-judge.ts')).judgeCommand(a, io),
  },
  plan: {
    summary: 'print the capacity formula, per-service targets, growth phases and holiday dates [--year N]',
    usage: 'plan [flags]',
    run: async (a, io) => (await import('./cmd-plan.ts')).planCommand(a, io),
  },
  dashboards: {
    summary: 'write Grafana dashboards, alerting rules and autoscaling manifests [--grafana-url URL]',
    usage: 'dashboards [flags]',
    run: async (a, io) => (await import('./cmd-dashboards.ts')).dashboardsCommand(a, io),
  },
  stack: {
    summary: 'run the embedded reference stack alone [--stack meqenet|reloop|path/to/stack.ts] [--port N]',
    usage: 'stack [flags]',
    run: async (a, io, s) => (await import('./cmd-tools.ts')).stackCommand(a, io, s),
  },
  selftest: {
    summary: 'inject known faults and run clean runs against the embedded stack; confusion matrix, JUnit [--quick] [--matrix FILE] [--only ID]',
    usage: 'selftest [flags]',
    run: async (a, io, s) => (await import('./cmd-selftest.ts')).selftestCommand(a, io, s),
  },
  setup: {
    summary: 'provision k6, Prometheus and Toxiproxy now (otherwise done on first use)',
    usage: 'setup',
    run: async (a, io) => (await import('./cmd-tools.ts')).setupCommand(a, io),
  },
};

export const COMMANDS: Record<string, Command> = Object.fromEntries(
  Object.entries(DEFS).map(([name, d]) => [name, { ...d, flags: FLAGS[name as CommandName] }]),
);

/** Looks a command up by its own name only (`toString` is not a command). */
export function findCommand(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** `<command> --help`: the command's summary and its flags. */
export function commandHelp(name: string, c: Command): string {
  return `${flagHelp(c.usage, c.flags)}\n\n${name}: ${c.summary}`;
}

export function usage(): string {
  const lines = ['usage: scale-harness <command> [flags]   (<command> --help lists its flags)', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(11)} ${c.summary}`);
  lines.push('', 'exit codes: 0 pass, 1 verdict failed, 2 bad input, 3 inconclusive, 4 tool missing, 130 interrupted');
  return lines.join('\n');
}
