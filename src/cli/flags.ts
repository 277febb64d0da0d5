/**
 * Every command's flags, with a line of help each: one table gives the parser its options (a
 * flag not in its command's table is an error) and `<command> --help` its text.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder for the value in help, e.g. `URL`. */
  value?: string;
  help: string;
}

export type FlagTable = Record<string, FlagSpec>;

const HELP: FlagTable = { help: { type: 'boolean', short: 'h', help: "print this command's flags and exit" } };
const CONCURRENT: FlagTable = {
  'allow-concurrent': { type: 'boolean', help: 'run even though another run is in progress on this machine (both verdicts say so)' },
};
const TARGET: FlagTable = {
  target: { type: 'string', value: 'URL', help: 'a real stack instead of the embedded one (needs --prometheus)' },
  prometheus: { type: 'string', value: 'URL', help: 'the Prometheus that scrapes the target, with the remote-write receiver on' },
  'allow-host': { type: 'string', multiple: true, value: 'HOST', help: 'also allow load to HOST (name, IPv4 or CIDR); loopback only by default' },
};
const LOAD: FlagTable = {
  parallel: { type: 'string', value: 'N', help: 'k6 processes splitting the load (bounded by cores and memory)' },
  fault: { type: 'string', multiple: true, value: 'KIND:TRIGGER[:N]', help: 'break the embedded autoscaler on purpose: ignore, late, short or flap' },
  'grafana-url': { type: 'string', value: 'URL', help: 'annotate the run in Grafana (token in GRAFANA_TOKEN)' },
  'results-url': { type: 'string', value: 'URL', help: 'also remote-write the verdict series to this Prometheus' },
};

/** How the target's series are read (`judge`, `run`, and `gate`/`signoff` on k6-operator). */
const MAPPING: FlagTable = {
  mapping: { type: 'string', value: 'NAME', help: 'metric mapping of the target (embedded, kubernetes, otel)' },
  namespace: { type: 'string', value: 'NS', help: "Kubernetes namespace of the target's deployments (and of the TestRun)" },
  'queue-namespace': { type: 'string', value: 'NS', help: "namespace of the queue exporter when not the target's (e.g. kafka)" },
};

/** Flags that shape the plan and where it may go, shared by `judge` and `run --engine k6-operator`. */
const PLAN_SHAPE: FlagTable = {
  prometheus: { type: 'string', value: 'URL', help: "the Prometheus that holds the run's series" },
  ...MAPPING,
  quick: { type: 'boolean', help: 'the time-compressed form of the profile' },
  duration: { type: 'string', value: '5m', help: 'total load at time scale 1 (s, m, h)' },
  scale: { type: 'string', value: 'S', help: 'multiplies rates (0 < S <= 10)' },
  'time-scale': { type: 'string', value: 'T', help: 'compresses wall time' },
  'allow-host': { type: 'string', multiple: true, value: 'HOST', help: 'also allow HOST (name, IPv4 or CIDR); loopback only by default' },
};

/** The k6-operator engine's own flags (`run`, `gate`, `signoff` with `--engine k6-operator`). */
const ENGINE: FlagTable = {
  engine: { type: 'string', value: 'k6-operator', help: 'run the load as k6-operator TestRuns on a cluster' },
  kubeconfig: { type: 'string', value: 'FILE', help: 'kubeconfig of the cluster (default $KUBECONFIG or ~/.kube/config)' },
  context: { type: 'string', value: 'NAME', help: 'kubeconfig context' },
  'remote-write-url': { type: 'string', value: 'URL', help: "where the runners remote-write (default the Prometheus's /api/v1/write)" },
  'per-runner-rps': { type: 'string', value: 'N', help: 'req/s one runner holds (sizes parallelism)' },
  image: { type: 'string', value: 'IMAGE', help: 'k6 runner image' },
  'start-timeout': { type: 'string', value: '10m', help: 'how long a TestRun may take to start' },
};

/** `run --engine k6-operator`: the run goes to a cluster as a TestRun. */
export const OPERATOR_FLAGS = {
  ...PLAN_SHAPE,
  ...ENGINE,
  target: { type: 'string', value: 'URL', help: 'the target as the runner pods reach it' },
  ...HELP,
} as const satisfies FlagTable;

export const FLAGS = {
  run: {
    quick: { type: 'boolean', help: 'a time-compressed run of at most 60 s of load' },
    duration: { type: 'string', value: '5m', help: 'total load at time scale 1 (s, m, h); the stages are stretched to fit' },
    scale: { type: 'string', value: 'S', help: 'multiplies rates and the embedded stack capacities alike (0 < S <= 10)' },
    'time-scale': { type: 'string', value: 'T', help: 'compresses wall time: durations and trigger windows are divided by T' },
    ...TARGET,
    ...MAPPING,
    'no-autoscale': { type: 'boolean', help: "turn the embedded stack's autoscaler off" },
    holiday: { type: 'string', value: 'NAME', help: "run this Ethiopian holiday's evening" },
    year: { type: 'string', value: 'YYYY', help: 'year of --holiday' },
    engine: { type: 'string', value: 'k6-operator', help: 'run the load as a k6-operator TestRun (`run P --engine k6-operator --help`)' },
    containers: { type: 'boolean', help: 'Grafana and Prometheus as containers (needs a Docker engine)' },
    'no-containers': { type: 'boolean', help: 'local processes even where a Docker engine is reachable' },
    ...LOAD,
    ...CONCURRENT,
    ...HELP,
  },
  gate: {
    only: { type: 'string', multiple: true, value: 'NAME', help: 'run only these gate profiles (spike, rural, soak)' },
    baselines: { type: 'string', value: 'DIR', help: 'baselines folder (default reports/baselines)' },
    'update-baseline': { type: 'boolean', help: "write each passing run as its profile's new baseline" },
    ...TARGET,
    ...LOAD,
    ...MAPPING,
    ...ENGINE,
    ...CONCURRENT,
    ...HELP,
  },
  signoff: {
    quick: { type: 'boolean', help: 'time-compressed runs' },
    capacity: { type: 'string', value: 'KIND', help: 'the rate to sign off: current, seasonal or future (default future)' },
    ...TARGET,
    ...MAPPING,
    ...ENGINE,
    ...CONCURRENT,
    ...HELP,
  },
  judge: {
    ...PLAN_SHAPE,
    profile: { type: 'string', value: 'NAME', help: 'the profile the run followed (a name or a path)' },
    testid: { type: 'string', value: 'ID', help: "the run's testid tag" },
    plan: { type: 'string', value: 'FILE', help: 'the plan.json the run used (default: resolved from the profile)' },
    from: { type: 'string', value: 'T', help: 'window start: epoch seconds or ISO 8601 (default: from the series)' },
    to: { type: 'string', value: 'T', help: 'window end (default: from the series)' },
    summary: { type: 'string', multiple: true, value: 'FILE', help: "a runner's k6 summary export, for the cross-check" },
    'stack-job': { type: 'string', value: 'JOB', help: "the scrape job of the stack's metrics" },
    ...HELP,
  },
  plan: { year: { type: 'string', value: 'YYYY', help: 'holiday dates of this year (default this year)' }, ...HELP },
  dashboards: {
    out: { type: 'string', value: 'DIR', help: 'where to write (default dashboards/)' },
    'grafana-url': { type: 'string', value: 'URL', help: 'also upload the dashboards (token in GRAFANA_TOKEN)' },
    folder: { type: 'string', value: 'UID', help: 'Grafana folder for the upload' },
    ...HELP,
  },
  stack: {
    stack: { type: 'string', value: 'NAME', help: 'meqenet, reloop or a path to a stack module (default meqenet)' },
    scale: { type: 'string', value: 'S', help: 'capacity scale (0 < S <= 10)' },
    'time-scale': { type: 'string', value: 'T', help: 'divides the autoscaler periods' },
    port: { type: 'string', value: 'N', help: 'port on 127.0.0.1 (default 8080; 0 for any)' },
    ...HELP,
  },
  setup: { ...HELP },
  selftest: {
    quick: { type: 'boolean', help: 'the reduced matrix (one case per signal kind, the stack faults, clean runs), for the nightly gate' },
    matrix: { type: 'string', value: 'FILE', help: 'cases from FILE (.json or a .ts module) instead of the built-in matrix' },
    only: { type: 'string', multiple: true, value: 'ID', help: 'run only these cases (comma-separated or repeated)' },
    out: { type: 'string', value: 'DIR', help: 'where to write the reports (default reports/selftest-<ts>)' },
    list: { type: 'boolean', help: 'print the cases and their expectations, run nothing' },
    ...HELP,
  },
} as const satisfies Record<string, FlagTable>;

export type CommandName = keyof typeof FLAGS;

/** The help text of one command: its usage line and one line per flag. */
export function flagHelp(usageLine: string, table: FlagTable): string {
  const rows = Object.entries(table).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}${f.multiple ? ' (repeatable)' : ''}`;
    return { left, help: f.help };
  });
  const width = Math.max(...rows.map((r) => r.left.length));
  return [`usage: scale-harness ${usageLine}`, '', 'flags:', ...rows.map((r) => `  ${r.left.padEnd(width)}  ${r.help}`)].join('\n');
}
