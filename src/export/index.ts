/**
 * Writes what an SRE deploys next to a validated stack: the Prometheus alerting rules of its
 * scaling triggers and the autoscaling manifests (HPA / KEDA) that implement them, both for
 * the Kubernetes target mapping. Each file is checked before it is written: the rules with
 * the real `promtool check rules`, the manifests with checkManifests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { stackTriggers } from '../plan/resolve.ts';
import type { StackName } from '../plan/schema.ts';
import { ensureTool } from '../tools/index.ts';
import { KUBERNETES, type TargetMapping } from '../../profiles/targets.ts';
import { checkManifests } from './check.ts';
import { autoscalingManifests, type ManifestOptions } from './manifests.ts';
import { alertingRules, checkRules } from './rules.ts';

export { alertingRules, alertingRule, alertName, checkRules, type AlertingRule, type RuleCheck } from './rules.ts';
export { autoscalingManifests, DEFAULT_SERVER_ADDRESS, type ManifestOptions } from './manifests.ts';
export { k6ArchiveConfigMap, k6OperatorTestRun, testRunName, CONFIGMAP_MAX_BYTES, type TestRunOptions, type ArchiveConfigMapOptions } from './k6-operator.ts';
export { checkManifests } from './check.ts';

export interface ExportValidatedOptions extends Omit<ManifestOptions, 'stack'> {
  /** promtool to check the rules with. @default found like every tool (PROMTOOL_BIN, PATH, provisioning) */
  promtoolBin?: string;
  /** @default KUBERNETES */
  mapping?: TargetMapping;
}

/**
 * Writes `<outDir>/prometheus-rules-<stack>.yaml` and `<outDir>/autoscaling-<stack>.yaml` and
 * returns their paths. Throws InputError (naming the file and the problem) when a generated
 * file does not pass its check, and ToolError when promtool cannot be found.
 */
export async function exportValidated(stack: StackName, outDir: string, opts: ExportValidatedOptions = {}): Promise<string[]> {
  const triggers = stackTriggers(stack);
  const mapping = opts.mapping ?? KUBERNETES;
  const o = { ...opts, stack };
  const rules = alertingRules(triggers, mapping, o);
  const manifests = autoscalingManifests(triggers, mapping, o);
  const rulesFile = path.join(outDir, `prometheus-rules-${stack}.yaml`);
  const manifestsFile = path.join(outDir, `autoscaling-${stack}.yaml`);

  const promtool = opts.promtoolBin ?? (await ensureTool('promtool')).path;
  const check = await checkRules(promtool, rules);
  if (!check.ok) throw new InputError(`${rulesFile}: promtool check rules failed:\n${check.output}`);
  const problems = checkManifests(manifests);
  if (problems.length > 0) throw new InputError(`${manifestsFile}: ${problems.join('; ')}`);

  await mkdir(outDir, { recursive: true });
  await writeFile(rulesFile, rules);
  await writeFile(manifestsFile, manifests);
  return [rulesFile, manifestsFile];
}
