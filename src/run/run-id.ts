/** Run ids: `<profile>-<UTC yyyymmddThhmmss>-<4 hex>`, sortable and safe as a folder and label. */
import { randomBytes } from 'node:crypto';

export function newRunId(profile: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${profile}-${stamp}-${randomBytes(2).toString('hex')}`;
}
