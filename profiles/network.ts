/**
 * Network presets for client cohorts, with their sources. src/network/presets.ts validates
 * them and turns them into Toxiproxy toxics.
 *
 * Units: bandwidth in Toxiproxy's KB/s (KB = 1000 bytes), written as `kbit/s / 8` so the
 * source's number stays visible; RTT in ms (half is applied on each direction).
 *
 * Decisions the sources leave open, recorded here once:
 * - Jitter: no source gives one; this harness uses 10 % of the one-way latency.
 * - `2g-edge` is WebPageTest's "Mobile Edge" profile, the better of its two 2G-era ones; its
 *   "2G" (35/32 kbps, 1300 ms) would make a 100 KB response take 23 s.
 * - `rural-3g` takes WebPageTest's legacy "3GSlow" bandwidth (780/330 kbps, 200 ms RTT) with
 *   Lighthouse mobileRegular3G's 300 ms RTT (700 kbps), the worse of the two latencies.
 * - `urban-4g` is WebPageTest's "4G" (9 Mbps both ways, 170 ms RTT), not its "LTE" (12 Mbps,
 *   70 ms): Addis Ababa's 4G is congested in the evening peak that the holiday shape tests.
 * - timeoutSeconds is the client's patience (k6 `timeout`): a phone app on a slow link waits
 *   longer; WebPageTest's per-profile test timeouts (300 s Edge, 240 s 3GSlow) are page-load
 *   budgets and too long for one API call.
 * - No preset sets packet loss: Toxiproxy cannot drop packets (see `lossPercent`).
 */
import type { NetworkPresetInput } from '../src/network/presets.ts';

const WPT = 'WebPageTest connectivity profiles (WPO-Foundation/webpagetest www/settings/connectivity.ini.sample)';

export const NETWORK_PRESETS = {
  '2g-edge': {
    description: 'Mobile EDGE (2.75G): 240 kbit/s down, 200 kbit/s up, 840 ms RTT',
    source: `${WPT}: [Edge] "Mobile Edge (240 Kbps/200 Kbps 840ms RTT)"`,
    rttMs: 840,
    jitterMs: 42,
    downKBps: 240 / 8,
    upKBps: 200 / 8,
    timeoutSeconds: 120,
  },
  'rural-3g': {
    description: 'Slow rural 3G: 780 kbit/s down, 330 kbit/s up, 300 ms RTT',
    source:
      `${WPT}: legacy [3GSlow] "Mobile 3G - Slow (780 Kbps/330 Kbps 200ms RTT)" for bandwidth; ` +
      'Lighthouse throttling.mobileRegular3G (300 ms RTT, 700 kbps) for the RTT',
    rttMs: 300,
    jitterMs: 15,
    downKBps: 780 / 8,
    upKBps: 330 / 8,
    timeoutSeconds: 90,
  },
  'urban-4g': {
    description: 'Urban 4G: 9 Mbit/s both ways, 170 ms RTT',
    source: `${WPT}: [4G] "4G (9 Mbps, 170ms RTT)"`,
    rttMs: 170,
    jitterMs: 9,
    downKBps: 9000 / 8,
    upKBps: 9000 / 8,
    timeoutSeconds: 60,
  },
  direct: {
    description: 'No shaping (the proxy only)',
    source: `${WPT}: [Native] "Native Connection (No Traffic Shaping)"`,
    rttMs: 0,
    jitterMs: 0,
    downKBps: null,
    upKBps: null,
    timeoutSeconds: 60,
  },
} satisfies Record<string, NetworkPresetInput>;

export type NetworkPresetName = keyof typeof NETWORK_PRESETS;
