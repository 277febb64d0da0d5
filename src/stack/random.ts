/**
 * Seedable randomness for service times, so that a test run is reproducible, and the clock and
 * sleep every part of the stack shares.
 */

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for service-time draws. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** z of the 99th percentile of a standard normal. */
const Z99 = 2.3263478740408408;

/**
 * A lognormal sampler with the given mean and p99, in ms. With ln X ~ N(mu, sigma²):
 * mean = exp(mu + sigma²/2) and p99 = exp(mu + z99·sigma), so sigma solves
 * sigma²/2 - z99·sigma + ln(p99/mean) = 0 (the smaller root). Draws are capped at 10 × p99 so
 * one unlucky draw cannot hold a slot for minutes.
 */
export function lognormal(rng: Rng, meanMs: number, p99Ms: number): () => number {
  const d = Z99 * Z99 - 2 * Math.log(p99Ms / meanMs);
  if (!(meanMs > 0) || !(p99Ms > meanMs) || d < 0) {
    throw new RangeError(`no lognormal has mean ${meanMs} ms and p99 ${p99Ms} ms`);
  }
  const sigma = Z99 - Math.sqrt(d);
  const mu = Math.log(meanMs) - (sigma * sigma) / 2;
  const cap = 10 * p99Ms;
  return () => {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - rng();
    const v = rng();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(cap, Math.exp(mu + sigma * z));
  };
}

/** Monotonic clock, seconds. */
export type Clock = () => number;

export const monotonic: Clock = () => performance.now() / 1000;

/**
 * Resolves after `ms`. The timer is unref'd: a stopped stack must not keep the process alive
 * for the rest of a service time.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}
