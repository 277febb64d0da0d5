/**
 * Response bodies: JSON padded to the size the stack profile gives for the route, full or lite
 * (`Save-Data: on`), so that bandwidth-shaped cohorts feel the difference.
 */

const PAD_CHUNK = 'x'.repeat(1024);

function padding(n: number): string {
  if (n <= 0) return '';
  return PAD_CHUNK.repeat(Math.ceil(n / PAD_CHUNK.length)).slice(0, n);
}

/**
 * `fields` as a JSON object of exactly `bytes` bytes (or its natural size when that is more),
 * padded with a `pad` string. Fields must be ASCII.
 */
export function paddedJson(fields: Record<string, string | number | boolean>, bytes: number): string {
  const bare = JSON.stringify({ ...fields, pad: '' });
  return JSON.stringify({ ...fields, pad: padding(bytes - bare.length) });
}
