import { describe, expect, it } from 'vitest';
import { loadProfile, listProfiles } from '../../src/plan/load.ts';
import { resolvePlan } from '../../src/plan/resolve.ts';
import { InputError } from '../../src/errors.ts';

const F = 'test/fixtures/profiles';

async function loadError(file: string): Promise<InputError> {
  const err = await loadProfile(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('loadProfile', () => {
  it('loads and validates the spike profile with defaults applied', async () => {
    const { profile, file } = await loadProfile('spike');
    expect(file).toBe('profiles/runs/spike.ts');
    expect(profile.stack).toBe('meqenet');
    expect(profile.cohorts).toEqual([{ name: 'direct', share: 1, network: 'direct', saveData: false }]);
    expect(profile.stages.length).toBeGreaterThan(1);
  });

  it('names the file, key and value of a negative rate on one line', async () => {
    const err = await loadError(`${F}/negative-rate.json`);
    expect(err.message).toBe(`${F}/negative-rate.json: stages[1].target: a rate must be zero or more req/s (got -5)`);
  });

  it('rejects unknown keys', async () => {
    const err = await loadError(`${F}/unknown-key.json`);
    expect(err.message).toMatch(/unknown-key\.json: sloz: unknown key/);
  });

  it('reports a profile that does not compile as a one-line input error', async () => {
    const err = await loadError(`${F}/syntax-error.ts`);
    expect(err.message).toMatch(/^test\/fixtures\/profiles\/syntax-error\.ts: cannot be loaded: /);
    expect(err.message).not.toContain('\n');
  });

  it('lists known profiles when a name is unknown', async () => {
    const err = await loadError('no-such-profile');
    expect(err.message).toMatch(/unknown profile "no-such-profile"; known: .*spike/);
  });

  it('lists the runnable profiles of profiles/runs/ and no reference data', async () => {
    expect(await listProfiles()).toEqual(['breakpoint', 'peak', 'reloop', 'rural', 'soak', 'spike']);
  });

  it('loads the stack a profile names by path, relative to the profile', async () => {
    const { stack } = await loadProfile('test/fixtures/stacks/kiosk/profile.ts');
    expect(stack.name).toBe('kiosk');
    expect(stack.file).toBe('test/fixtures/stacks/kiosk/stack.ts');
    expect(Object.keys(stack.journeys)).toEqual(['browse', 'order']);
  });

  it('names the file, key and value of an unknown stack', async () => {
    const err = await loadError(`${F}/unknown-stack.json`);
    expect(err.message).toBe(`${F}/unknown-stack.json: stack: unknown stack "ledger"; built in: meqenet, reloop (or a path to a stack module)`);
  });
});

describe('resolvePlan cross-references', () => {
  const opts = { runId: 'r1', targetUrl: 'http://127.0.0.1:1' };
  it('rejects an unknown journey naming the key', async () => {
    const { profile, file } = await loadProfile(`${F}/unknown-journey.json`);
    expect(() => resolvePlan(profile, { ...opts, file })).toThrow(`${F}/unknown-journey.json: mix.teleport: unknown journey for stack meqenet`);
  });
  it('rejects an SLO on an unknown service', async () => {
    const { profile, file } = await loadProfile(`${F}/unknown-service.json`);
    expect(() => resolvePlan(profile, { ...opts, file })).toThrow(/slos\[0\]\.scope\.service: unknown service; known: .*auth.* \(got "billing"\)/);
  });
});
