/**
 * The environment of a run: the embedded stack (unless a target is given), the network cohorts
 * and Prometheus (a local process, or with Grafana as containers), started in that order and
 * stopped in reverse by `await using` on every exit path. Tools are provisioned first, so a
 * missing one fails before any run folder exists.
 */
import { startContainerBackend, useContainers, type ContainerBackend } from '../containers/index.ts';
import { ToolError } from '../errors.ts';
import { checkLiveData, validateQueries } from '../controller/validate.ts';
import { clientTimeoutMs } from '../controller/recording.ts';
import { PrometheusClient } from '../metrics/client.ts';
import { externalScrapeInterval } from '../metrics/scrape-interval.ts';
import { scrapeIntervalFor, startPrometheus, type RunningPrometheus } from '../metrics/prometheus.ts';
import { needsShaping, startShapedCohorts } from '../network/cohorts.ts';
import type { Plan } from '../plan/types.ts';
import { spawnStack, type StackProcess } from '../stack/spawn.ts';
import { ensureTool, type ToolInfo } from '../tools/index.ts';
import type { PreparedRun } from './prepare.ts';

export interface RunTools {
  k6: ToolInfo;
  /** Null when the run uses the target's Prometheus or containers. */
  prometheus: ToolInfo | null;
  /** Prometheus and Grafana as containers. */
  containers: boolean;
}

export interface RunEnvironment extends AsyncDisposable {
  /** Gateway base URL: the target, or the embedded stack. */
  targetUrl: string;
  /** Base URL per shaped cohort (Toxiproxy listeners). */
  cohortUrls: Record<string, string>;
  /** Each shaped cohort's link, for the plan's inputs. */
  network: Record<string, unknown>;
  source: PrometheusClient;
  /** Where k6 remote-writes its samples and the run its result series. */
  remoteWriteUrl: string;
  /** True when the run's own Prometheus holds its data (the result series go there too). */
  ownPrometheus: boolean;
  scrapeIntervalSeconds: number;
  /** The run's Grafana when it runs as a container. */
  grafana: Pick<ContainerBackend, 'grafanaUrl' | 'grafanaToken' | 'dashboardUrl'> | null;
  /** Scrape job of the embedded stack; absent against a target. */
  stackJob?: string;
  /** Why a component stopped while the run was on, or null. */
  failure(): string | null;
}

export async function provisionTools(prep: PreparedRun, opts: { containers?: boolean; grafanaUrl?: string }, log: (l: string) => void): Promise<RunTools> {
  const k6 = await ensureTool('k6', { log });
  const containers = await useContainers(opts.containers ?? (opts.grafanaUrl ? false : undefined), log);
  const prometheus = prep.prometheus || containers ? null : await ensureTool('prometheus', { log });
  if (needsShaping(prep.profile.cohorts)) await ensureTool('toxiproxy', { log });
  return { k6, prometheus, containers };
}

/**
 * Load must not begin before the stack's samples are in Prometheus, or the start of the run has
 * no stack data. Prometheus applies its scrape targets about 5 s after it starts; the embedded
 * stack bridges that gap by remote-writing its own samples until the first scrape (push.ts).
 */
async function waitForStackData(source: PrometheusClient, job: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await source.query(`up{job="${job}"}`).catch(() => []);
    if (r[0]?.value[1] === 1) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new ToolError(`prometheus did not scrape the ${job} within ${timeoutMs / 1000} s`);
}

export interface EnvironmentOptions {
  autoscale?: boolean;
  faults: string[];
  log: (line: string) => void;
}

/** Starts what the run needs; whatever started is stopped again if a later part fails. */
export async function startEnvironment(prep: PreparedRun, tools: RunTools, plan: Plan, opts: EnvironmentOptions): Promise<RunEnvironment> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    let stack: StackProcess | null = null;
    if (!prep.target) {
      const s = await spawnStack({
        stack: plan.stackRef ?? plan.stack,
        scale: plan.scale,
        timeScale: plan.timeScale,
        ...(opts.autoscale !== undefined ? { autoscale: opts.autoscale } : {}),
        faults: opts.faults.filter((f) => !f.startsWith('proxy-down:')),
        onLog: opts.log,
      });
      stops.push(() => s.stop());
      opts.log(`embedded ${plan.stack} stack at ${s.url}`);
      stack = s;
    }
    const targetUrl = prep.target ?? stack?.url ?? '';
    // `proxy-down:<cohort>` faults: the link goes about a third into the load.
    const down = { cohorts: opts.faults.filter((f) => f.startsWith('proxy-down:')).map((f) => f.slice('proxy-down:'.length)), afterSeconds: plan.durationSeconds / 3 };
    const network = await startShapedCohorts(prep.profile.cohorts, targetUrl, opts.log, down);
    stops.push(async () => network[Symbol.asyncDispose]());
    const targets = stack ? [{ job: 'stack', address: stack.address }] : [];
    const scrapeIntervalSeconds = scrapeIntervalFor(plan.timeScale);
    const backend = tools.containers
      ? await startContainerBackend({ ...(prep.prometheus ? { prometheusUrl: prep.prometheus } : {}), scrapeTargets: targets, scrapeIntervalSeconds, log: opts.log })
      : null;
    if (backend) stops.push(() => backend.stop());
    // The container backend's Prometheus (null with --prometheus) is stopped with the backend.
    let prom: RunningPrometheus | null = backend?.prometheus ?? null;
    if (!backend && tools.prometheus) {
      const local = await startPrometheus({ bin: tools.prometheus.path, targets, scrapeIntervalSeconds, log: opts.log });
      stops.push(() => local.stop());
      prom = local;
    }
    const promUrl = backend?.prometheusUrl ?? prom?.url ?? prep.prometheus ?? '';
    const source = new PrometheusClient(promUrl, { allow: prep.allow, timeoutMs: clientTimeoutMs(prep.plan.durationSeconds) });
    if (prom && stack) {
      // Only where the scrape's labels are known to be job="stack", instance=stack.address:
      // the container backend's Prometheus reaches the stack by another address.
      if (!backend) stack.pushUntilScraped(prom.remoteWriteUrl, scrapeIntervalSeconds, 'stack');
      await waitForStackData(source, 'stack', 20_000);
    }
    await validateQueries(source, plan, prep.mapping, prep.mappingName, prep.namespace);
    const scrapeSeconds = prom?.scrapeIntervalSeconds ?? (await externalScrapeInterval(source, opts.log));
    await checkLiveData(source, plan, prep.mapping, prep.mappingName, prep.namespace, { scrapeIntervalSeconds: scrapeSeconds });
    return {
      targetUrl,
      cohortUrls: network.cohortUrls,
      network: network.describe,
      source,
      remoteWriteUrl: prom?.remoteWriteUrl ?? `${promUrl}/api/v1/write`,
      ownPrometheus: prom !== null,
      scrapeIntervalSeconds: scrapeSeconds,
      grafana: backend,
      ...(stack ? { stackJob: 'stack' } : {}),
      failure: () => {
        const info = stack?.exitInfo();
        return info ? `the embedded stack died (${info})` : prom && !prom.alive() ? 'Prometheus died' : null;
      },
      [Symbol.asyncDispose]: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
