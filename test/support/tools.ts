/**
 * Tools only the tests use: actionlint (pinned Go build, lints .github/workflows in
 * test/grafana/workflow.test.ts) and Debian's Chromium (the HTML report's screenshot check).
 * v1.7.12 is the newest actionlint the Go module proxy serves (checked 2026-03-30).
 */
import { aptInstall } from '../../src/tools/apt.ts';
import type { Log } from '../../src/tools/gobuild.ts';
import { ensureGoTool, which, type GoTool, type ToolInfo } from '../../src/tools/index.ts';

export const ACTIONLINT: GoTool = {
  spec: {
    name: 'actionlint',
    module: 'github.com/rhysd/actionlint',
    version: 'v1.7.12',
    pkg: 'github.com/rhysd/actionlint/cmd/actionlint',
    minVersion: '1.6.0',
    versionArgs: ['-version'],
  },
  env: 'ACTIONLINT_BIN',
  pathNames: ['actionlint'],
};

export function ensureActionlint(log: Log): Promise<ToolInfo> {
  return ensureGoTool(ACTIONLINT, log);
}

/** Debian's Chromium, installed as root when missing; null (with a how-to logged) otherwise. */
export async function ensureChromium(log: Log): Promise<string | null> {
  const found = process.env.CHROMIUM_BIN ?? (await which('chromium'));
  if (found) return found;
  const r = await aptInstall('chromium', log);
  if (!r.ok) {
    log(`chromium: not installed (${r.why}); install it with 'apt-get install -y chromium'`);
    return null;
  }
  return which('chromium');
}
