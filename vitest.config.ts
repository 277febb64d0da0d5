import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Kubernetes API server rig builds kube-apiserver (minutes) and runs apart: npm run test:k8s.
    exclude: ['test/k8s/**', '**/node_modules/**'],
    // Integration tests start real k6 / Prometheus processes: run files one at a time so that
    // two of them never compete for the two cores and skew latency-based verdicts.
    fileParallelism: false,
    // Integration tests run whole load runs (about 75 s each); suites of runs set their own.
    testTimeout: 240_000,
    hookTimeout: 600_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
