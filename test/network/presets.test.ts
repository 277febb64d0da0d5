import { describe, expect, it } from 'vitest';
import { getPreset, presetNames, toxicsFor, NetworkPresetSchema } from '../../src/network/presets.ts';
import { checkLoopback } from '../../src/network/toxiproxy.ts';
import { InputError } from '../../src/errors.ts';

describe('network presets', () => {
  it('has the four presets, each with a source', () => {
    expect(presetNames()).toEqual(['2g-edge', 'rural-3g', 'urban-4g', 'direct']);
    for (const name of presetNames()) expect(getPreset(name).source).toMatch(/WebPageTest/);
  });

  it('turns kbit/s into Toxiproxy KB/s (KB = 1000 bytes) and RTT into half on each direction', () => {
    const edge = getPreset('2g-edge');
    expect(edge).toMatchObject({ downKBps: 30, upKBps: 25, rttMs: 840, lossPercent: 0 });
    expect(toxicsFor(edge)).toEqual([
      { name: 'latency-down', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 420, jitter: 42 } },
      { name: 'bandwidth-down', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { rate: 30 } },
      { name: 'latency-up', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 420, jitter: 42 } },
      { name: 'bandwidth-up', type: 'bandwidth', stream: 'upstream', toxicity: 1, attributes: { rate: 25 } },
    ]);
    expect(toxicsFor(getPreset('urban-4g')).find((t) => t.name === 'bandwidth-down')?.attributes.rate).toBe(1125);
    expect(toxicsFor(getPreset('direct'))).toEqual([]);
  });

  it('adds a downstream slicer when a preset sets one', () => {
    const p = NetworkPresetSchema.parse({
      ...getPreset('rural-3g'),
      slicer: { averageSize: 1400, sizeVariation: 200, delayUs: 500 },
    });
    expect(toxicsFor(p).at(-1)).toEqual({
      name: 'slicer-down',
      type: 'slicer',
      stream: 'downstream',
      toxicity: 1,
      attributes: { average_size: 1400, size_variation: 200, delay: 500 },
    });
  });

  it('names an unknown preset and lists the valid ones', () => {
    expect(() => getPreset('5g')).toThrow(InputError);
    expect(() => getPreset('5g')).toThrow('unknown network preset "5g"; valid: 2g-edge, rural-3g, urban-4g, direct');
  });

  it('accepts only loopback upstreams', () => {
    for (const ok of ['127.0.0.1:8080', 'localhost:80', '[::1]:9000', '127.1.2.3:1']) expect(() => checkLoopback(ok)).not.toThrow();
    expect(() => checkLoopback('10.0.0.5:80')).toThrow('only loopback hosts');
    expect(() => checkLoopback('example.com:443')).toThrow('only loopback hosts');
    expect(() => checkLoopback('127.0.0.1')).toThrow('must be host:port');
    expect(() => checkLoopback('127.0.0.1:70000')).toThrow('must be host:port');
  });
});
