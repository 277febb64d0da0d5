/**
 * The harness's Kubernetes API access, through @kubernetes/client-node 1.4 (2.x needs undici 8,
 * which needs Node 22.19; the harness supports Node 20). Results, not throws: callers decide
 * what a refusal means (a dry-run 422 is the expected answer in a validation test).
 */
import { ApiException, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import https from 'node:https';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../errors.ts';

export interface Kube {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  /** Namespace for namespaced objects that name none. */
  namespace: string;
}

export interface KubeOptions {
  /** Path of a kubeconfig; @default $KUBECONFIG or ~/.kube/config */
  kubeconfig?: string;
  /** A kubeconfig's text (tests), instead of a path. */
  kubeconfigText?: string;
  context?: string;
  namespace?: string;
}

export function connect(o: KubeOptions = {}): Kube {
  const config = new KubeConfig();
  try {
    if (o.kubeconfigText) config.loadFromString(o.kubeconfigText);
    else if (o.kubeconfig) config.loadFromFile(o.kubeconfig);
    else config.loadFromDefault();
  } catch (err) {
    throw new InputError(`--kubeconfig ${o.kubeconfig ?? '(default)'}: cannot be read: ${(err as Error).message}`);
  }
  if (o.context) {
    if (!config.getContexts().some((c) => c.name === o.context)) throw new InputError(`--context ${o.context}: no such context in the kubeconfig`);
    config.setCurrentContext(o.context);
  }
  const ctxNs = config.getContextObject(config.getCurrentContext())?.namespace;
  return { config, objects: KubernetesObjectApi.makeApiClient(config), namespace: o.namespace ?? ctxNs ?? 'default' };
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

/** The server's own message from an API error (a Status object's `message`), or the error's. */
export function apiMessage(err: unknown): { code: number; message: string } {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeJson(err.body) : err.body;
    const msg = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : String(err.body);
    return { code: err.code, message: msg };
  }
  return { code: 0, message: (err as Error).message };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

async function call<T>(fn: () => Promise<T>): Promise<ApiResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, ...apiMessage(err) };
  }
}

function withNamespace(kube: Kube, obj: KubernetesObject): KubernetesObject {
  return { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? kube.namespace } };
}

/** Creates `obj` (namespaced kinds default to the connection's namespace); `dryRun` sends `?dryRun=All`. */
export function createObject(kube: Kube, obj: KubernetesObject, opts: { dryRun?: boolean; clusterScoped?: boolean } = {}): Promise<ApiResult<KubernetesObject>> {
  const body = opts.clusterScoped ? obj : withNamespace(kube, obj);
  return call(() => kube.objects.create(body, undefined, opts.dryRun ? 'All' : undefined, 'scale-harness'));
}

export function readObject(kube: Kube, obj: KubernetesObject, clusterScoped = false): Promise<ApiResult<KubernetesObject>> {
  const body = clusterScoped ? obj : withNamespace(kube, obj);
  const header = { apiVersion: body.apiVersion ?? '', kind: body.kind ?? '', metadata: { name: body.metadata?.name ?? '', namespace: body.metadata?.namespace ?? '' } };
  return call(() => kube.objects.read(header));
}

/**
 * Deletes `obj`; a 404 counts as deleted. Background propagation: the object goes at once and
 * the garbage collector removes what it owns (a TestRun's Jobs and pods) after it.
 */
export async function deleteObject(kube: Kube, obj: KubernetesObject, clusterScoped = false): Promise<ApiResult<null>> {
  const body = clusterScoped ? obj : withNamespace(kube, obj);
  const r = await call(() => kube.objects.delete(body, undefined, undefined, undefined, undefined, 'Background'));
  if (r.ok || r.code === 404) return { ok: true, value: null };
  return r;
}

/** The documents of a YAML stream (comments dropped, empty documents skipped). */
export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is KubernetesObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/**
 * A JSON request straight to the REST API with the kubeconfig's credentials. Used for
 * CustomResourceDefinitions: client-node's typed serializer drops schema fields such as
 * `x-kubernetes-int-or-string`, which the server then refuses.
 */
export async function rawRequest(kube: Kube, method: string, apiPath: string, body?: unknown): Promise<ApiResult<unknown>> {
  const server = kube.config.getCurrentCluster()?.server;
  if (!server) return { ok: false, code: 0, message: 'the kubeconfig names no cluster server' };
  const url = new URL(apiPath, server);
  const opts: https.RequestOptions = { method, headers: { 'content-type': 'application/json', accept: 'application/json' } };
  await kube.config.applyToHTTPSOptions(opts);
  return new Promise((resolve) => {
    const req = https.request(url, opts, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const json = safeJson(text);
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) resolve({ ok: true, value: json });
        else resolve({ ok: false, code, message: json && typeof json === 'object' && 'message' in json ? String((json as { message: unknown }).message) : text.slice(0, 500) });
      });
    });
    req.on('error', (err) => resolve({ ok: false, code: 0, message: err.message }));
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${apiPath}: no answer within 30 s`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Creates a CustomResourceDefinition and waits (at most `timeoutMs`) until it is Established. */
export async function installCrd(kube: Kube, crdYaml: string, timeoutMs = 30_000): Promise<ApiResult<string>> {
  const [crd] = parseManifests(crdYaml);
  if (!crd) return { ok: false, code: 0, message: 'no CustomResourceDefinition in the YAML' };
  const created = await rawRequest(kube, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  if (!created.ok && created.code !== 409) return created;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await rawRequest(kube, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata?.name ?? ''}`);
    const conds = r.ok ? ((r.value as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions ?? []) : [];
    if (conds.some((c) => c.type === 'Established' && c.status === 'True')) return { ok: true, value: crd.metadata?.name ?? '' };
    await new Promise((res) => setTimeout(res, 250));
  }
  return { ok: false, code: 0, message: `CRD ${crd.metadata?.name} not Established within ${timeoutMs} ms` };
}
