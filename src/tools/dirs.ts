/**
 * Where pinned tools are built: `.tools/` in the project, or SCALE_HARNESS_TOOLS_DIR (a fresh
 * directory proves provisioning from nothing without touching the shared one).
 */
import path from 'node:path';
import { TOOLS_DIR } from '../util/paths.ts';

export function toolsDir(): string {
  return process.env.SCALE_HARNESS_TOOLS_DIR ? path.resolve(process.env.SCALE_HARNESS_TOOLS_DIR) : TOOLS_DIR;
}

export function toolsBin(): string {
  return path.join(toolsDir(), 'bin');
}
