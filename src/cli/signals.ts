/**
 * What the harness does when asked to stop. The first SIGINT/SIGTERM/SIGHUP stops the run
 * gracefully (k6 first, then judgement of what was collected, then the reports); a later one
 * stops at once (an `inconclusive` verdict is still written, every child is killed).
 *
 * A terminal's Ctrl-C reaches every process of the foreground group: through `npm run`, npm
 * and tsx relay the same Ctrl-C to the harness again a few ms later. Signals within
 * RELAY_WINDOW_MS of the first count as that same one.
 */
import { forceStop } from '../util/process.ts';
import { EXIT } from './exit-codes.ts';

/** Signals this close to the first one are the same Ctrl-C relayed by npm or tsx, ms. */
export const RELAY_WINDOW_MS = 1000;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopHandling {
  controller: AbortController;
  /** Removes the handlers (for tests). */
  dispose(): void;
}

/**
 * Installs the handlers. `exit` ends the process (injectable for tests); `now` gives ms.
 */
export function handleStopSignals(
  log: (line: string) => void,
  exit: (code: number) => void = (c) => process.exit(c),
  now: () => number = Date.now,
): StopHandling {
  const controller = new AbortController();
  let first: number | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    const t = now();
    if (first === null) {
      first = t;
      log(`\nscale-harness: ${sig}: stopping the run and writing what was collected (press Ctrl-C again to stop at once)`);
      controller.abort();
      return;
    }
    if (t - first < RELAY_WINDOW_MS) return;
    log(`scale-harness: ${sig} again: stopping at once; the verdict is inconclusive`);
    forceStop(log);
    exit(EXIT.interrupted);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    controller,
    dispose: () => {
      for (const s of SIGNALS) process.removeListener(s, onSignal);
    },
  };
}

/** For an error that escaped everything: one line, the forced-exit work, children killed, exit 3. */
export function handleCrashes(log: (line: string) => void, exit: (code: number) => void = (c) => process.exit(c)): void {
  const crash = (err: unknown) => {
    log(`scale-harness: internal error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    if (process.env.SCALE_HARNESS_DEBUG && err instanceof Error && err.stack) log(err.stack);
    forceStop(log);
    exit(EXIT.inconclusive);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
