/**
 * Provisions the real tools the tests use, once per test run, with visible progress:
 * k6 and Toxiproxy (pinned Go builds into .tools/bin), Prometheus and promtool (Debian's
 * package), actionlint (pinned Go build) and Chromium (Debian's package, for the report's
 * screenshot test). A tool that cannot be had fails the tests that need it with a clear message.
 */
import { ensureTool, type ToolName } from '../src/tools/index.ts';
import { ensureChromium } from '../src/tools/chromium.ts';

export default async function setup(): Promise<void> {
  const log = (l: string) => process.stderr.write(`[test setup] ${l}\n`);
  const envNames: Record<ToolName, string> = {
    k6: 'K6_BIN',
    prometheus: 'PROMETHEUS_BIN',
    promtool: 'PROMTOOL_BIN',
    toxiproxy: 'TOXIPROXY_BIN',
    actionlint: 'ACTIONLINT_BIN',
  };
  for (const name of Object.keys(envNames) as ToolName[]) {
    try {
      const t = await ensureTool(name, { log });
      process.env[envNames[name]] = t.path;
      log(`${name} ${t.version} (${t.origin}) ${t.path}`);
    } catch (err) {
      log(`${name}: ${(err as Error).message} — tests that need it will fail`);
    }
  }
  const chromium = await ensureChromium(log);
  if (chromium) process.env.CHROMIUM_BIN = chromium;
}
