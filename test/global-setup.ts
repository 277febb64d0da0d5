/**
 * Provisions the real tools the tests use, once per test run, with visible progress:
 * k6 and Toxiproxy (pinned Go builds into .tools/bin), Prometheus and promtool (Debian's
 * package), actionlint (pinned Go build) and Chromium (Debian's package, for the report's
 * screenshot test). A tool that cannot be had fails the tests that need it with a clear message.
 */
import { ensureTool, type ToolInfo, type ToolName } from '../src/tools/index.ts';
import { ensureActionlint, ensureChromium } from './support/tools.ts';

export default async function setup(): Promise<void> {
  const log = (l: string) => process.stderr.write(`[test setup] ${l}\n`);
  // The suite tests local processes; the container backend's own test asks for it by flag.
  process.env.SCALE_HARNESS_CONTAINERS ??= 'off';
  const envNames: Record<ToolName | 'actionlint', string> = {
    k6: 'K6_BIN',
    prometheus: 'PROMETHEUS_BIN',
    promtool: 'PROMTOOL_BIN',
    toxiproxy: 'TOXIPROXY_BIN',
    actionlint: 'ACTIONLINT_BIN',
  };
  const ensure = (name: ToolName | 'actionlint'): Promise<ToolInfo> => (name === 'actionlint' ? ensureActionlint(log) : ensureTool(name, { log }));
  for (const name of Object.keys(envNames) as Array<ToolName | 'actionlint'>) {
    try {
      const t = await ensure(name);
      process.env[envNames[name]] = t.path;
      log(`${name} ${t.version} (${t.origin}) ${t.path}`);
    } catch (err) {
      log(`${name}: ${(err as Error).message} — tests that need it will fail`);
    }
  }
  const chromium = await ensureChromium(log);
  if (chromium) process.env.CHROMIUM_BIN = chromium;
}
