/** Links into the provisioned Grafana for one run. */

/**
 * The dashboard `uid` for one run: its load window (`from`/`to`, ms since the epoch) and the
 * `testid` variable set to the run id (k6 tags every sample with `testid`; the SLO dashboard's
 * `testid` variable lists run ids too).
 */
export function dashboardUrl(grafanaUrl: string, uid: string, runId: string, fromMs: number, toMs: number): string {
  const q = new URLSearchParams({ orgId: '1', from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)), 'var-testid': runId });
  return `${grafanaUrl.replace(/\/+$/, '')}/d/${encodeURIComponent(uid)}?${q.toString()}`;
}
