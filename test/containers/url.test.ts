import { describe, expect, it } from 'vitest';
import { dashboardUrl } from '../../src/containers/url.ts';
import { hostPortsFor } from '../../src/containers/backend.ts';
import { hostAddressForContainers, prometheusCommand } from '../../src/containers/images.ts';

describe('dashboard URL for a run', () => {
  it('has the load window in ms and the run id as testid', () => {
    expect(dashboardUrl('http://localhost:32768/', 'scale-harness-overview', 'spike-20261130-2200-ab12', 1_780_000_000_123.4, 1_780_000_060_000.2)).toBe(
      'http://localhost:32768/d/scale-harness-overview?orgId=1&from=1780000000123&to=1780000060001&var-testid=spike-20261130-2200-ab12',
    );
  });

  it('escapes what a URL cannot hold', () => {
    expect(dashboardUrl('http://g', 'a b', 'r&1', 0, 1)).toBe('http://g/d/a%20b?orgId=1&from=0&to=1&var-testid=r%261');
  });
});

describe('what the containers reach on the host', () => {
  it('scrape targets and a loopback --prometheus become host ports behind the host alias', () => {
    expect(hostPortsFor([{ job: 'stack', address: '127.0.0.1:41234' }], 'http://127.0.0.1:9090/')).toEqual({
      ports: [41234, 9090],
      prometheusFromGrafana: 'http://host.testcontainers.internal:9090',
    });
    expect(hostAddressForContainers('127.0.0.1:41234')).toBe('host.testcontainers.internal:41234');
  });

  it('a Prometheus elsewhere is used as given', () => {
    expect(hostPortsFor([], 'http://prom.example.net:9090')).toEqual({ ports: [], prometheusFromGrafana: 'http://prom.example.net:9090' });
  });

  it('Prometheus runs with the remote-write receiver and native histograms', () => {
    expect(prometheusCommand('/etc/p.yml')).toEqual([
      '--config.file=/etc/p.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
      '--log.level=warn',
    ]);
  });
});
