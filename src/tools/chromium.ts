/** Debian's Chromium, for the report's headless screenshot check (installed as root when missing). */
import { aptInstall } from './apt.ts';
import { which } from './index.ts';
import type { Log } from './gobuild.ts';

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
