import { defineConfig } from 'vitest/config';

/**
 * The tests against a real Kubernetes API server (kine + kube-apiserver, test/support/k8s-rig.ts).
 * Not part of `npm test`: the first run builds kube-apiserver (about 9 minutes of two cores).
 */
export default defineConfig({
  test: {
    include: ['test/k8s/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    // First use builds kine and kube-apiserver.
    hookTimeout: 45 * 60_000,
  },
});
