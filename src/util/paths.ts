/** Paths inside the project, independent of the current directory. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const TOOLS_BIN = path.join(TOOLS_DIR, 'bin');
/** Run folders; SCALE_HARNESS_RUNS_DIR moves them (e.g. off a read-only checkout). */
export const RUNS_DIR = process.env.SCALE_HARNESS_RUNS_DIR ?? path.join(PROJECT_ROOT, 'reports', 'runs');
export const BASELINES_DIR = path.join(PROJECT_ROOT, 'reports', 'baselines');
export const PROFILES_DIR = path.join(PROJECT_ROOT, 'profiles');
export const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');
