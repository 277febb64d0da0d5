/**
 * Pinned tool versions. k6 and Toxiproxy are Go modules built with the local Go toolchain into
 * .tools/bin on first use. k6 v2.3.0 is tagged but its module zip is not served by the Go
 * module proxy, so the pin is the previous release, v2.2.0.
 */
export interface GoToolSpec {
  /** Name of the binary in .tools/bin. */
  name: string;
  /** Go module that is required at `version`. */
  module: string;
  version: string;
  /** Package path of the main package to build. */
  pkg: string;
  /** Lowest version accepted when the tool is found elsewhere (env or PATH). */
  minVersion: string;
  /** Arguments that make the binary print its version. */
  versionArgs: string[];
  /** Linker flags for the build (e.g. to stamp the version into the binary). */
  ldflags?: string;
  /** Build with cgo (e.g. SQLite); off otherwise, for static binaries. */
  cgo?: boolean;
}

/** What the stamp file next to a built binary records: the pin and how it was built. */
export function buildStamp(spec: GoToolSpec): string {
  return spec.ldflags ? `${spec.version} ldflags=${spec.ldflags}` : spec.version;
}

export const K6: GoToolSpec = {
  name: 'k6',
  module: 'go.k6.io/k6/v2',
  version: 'v2.2.0',
  pkg: 'go.k6.io/k6/v2',
  minVersion: '2.0.0',
  versionArgs: ['version'],
};

export const TOXIPROXY: GoToolSpec = {
  name: 'toxiproxy',
  module: 'github.com/Shopify/toxiproxy/v2',
  version: 'v2.12.0',
  pkg: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  minVersion: '2.5.0',
  versionArgs: ['-version'],
  // Without it the server reports its version as "git".
  ldflags: '-X github.com/Shopify/toxiproxy/v2.Version=2.12.0',
};

/** Prometheus: native histograms and the remote-write receiver flag need 2.40 or later. */
export const PROMETHEUS_MIN_VERSION = '2.40.0';

/** Parses the first x.y.z in a version banner. */
export function parseVersion(text: string): string | null {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/** a >= b for x.y.z versions. */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
