import { describe, expect, it } from 'vitest';
import { KUBE_APISERVER, stagingModules, wrapperGoMod } from '../../src/tools/k8s.ts';
import { parseTime } from '../../src/judge/window.ts';

/** The shape of k8s.io/kubernetes v1.37.2's go.mod: a go directive and `./staging` replaces. */
const GO_MOD = `module k8s.io/kubernetes

go 1.26.0

godebug default=go1.26

require (
\tk8s.io/api v0.0.0
\tgithub.com/spf13/cobra v1.10.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/apiextensions-apiserver => ./staging/src/k8s.io/apiextensions-apiserver
\tk8s.io/cri-client => ./staging/src/k8s.io/cri-client
)
`;

describe('the kube-apiserver wrapper module', () => {
  it('reads the staging replaces and the go directive from k8s.io/kubernetes go.mod', () => {
    expect(stagingModules(GO_MOD)).toEqual({ modules: ['k8s.io/api', 'k8s.io/apiextensions-apiserver', 'k8s.io/cri-client'], goDirective: '1.26.0' });
  });

  it('requires k8s.io/kubernetes and replaces each staging module with its v0.37.2 release', () => {
    expect(wrapperGoMod(KUBE_APISERVER, GO_MOD)).toBe(
      'module scaleharness.local/build/kube-apiserver\n\ngo 1.26.0\n\nrequire k8s.io/kubernetes v1.37.2\n\nreplace (\n' +
        '\tk8s.io/api => k8s.io/api v0.37.2\n\tk8s.io/apiextensions-apiserver => k8s.io/apiextensions-apiserver v0.37.2\n\tk8s.io/cri-client => k8s.io/cri-client v0.37.2\n)\n',
    );
  });
});

describe('judge --from/--to', () => {
  it('takes seconds since the epoch or ISO 8601, and nothing else', () => {
    expect(parseTime('1796078000')).toBe(1796078000);
    expect(parseTime('2026-11-30T21:00:00Z')).toBe(Date.UTC(2026, 10, 30, 21) / 1000);
    expect(parseTime('yesterday')).toBeNull();
  });
});
