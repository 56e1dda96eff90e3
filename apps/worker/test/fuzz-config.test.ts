import { InvalidOptionsError } from '@detour/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { hostileConfigs } from './fuzz/hostile-configs';

const env = { FUZZ_KEY: 'sk-fuzz-key-from-env' };
const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Loads one input: 'loaded', 'refused', or why the outcome breaks the loader's contract. */
const tryLoad = (input: unknown): string => {
  let config;
  try {
    config = loadConfig(input, env);
  } catch (error) {
    if (!(error instanceof InvalidOptionsError)) return `threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
    if (error.issues.length === 0) return 'InvalidOptionsError without issues';
    for (const issue of error.issues) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string' || issue.message === '') return `issue without a path or message: ${JSON.stringify(issue)}`;
      // A root-level issue names no field only when the input is not an object, or it names the unknown key.
      if (issue.path === '' && isPlainObject(input) && !/key/i.test(issue.message)) return `root issue naming nothing: ${issue.message}`;
    }
    if (error.message.includes(env.FUZZ_KEY) || error.message.includes('sk-fuzz-inline-key-000')) return 'the error message contains a secret';
    return 'refused';
  }
  if (!Object.isFrozen(config)) return 'the loaded config is not frozen';
  if (config.router.endpoints.length === 0) return 'loaded without endpoints';
  return 'loaded';
};

describe('the config loader facing hostile configs', () => {
  it('either loads a config or throws InvalidOptionsError naming each bad path, and never pollutes prototypes', () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort().join();
    let loaded = 0;
    fc.assert(
      fc.property(hostileConfigs, (input) => {
        const outcome = tryLoad(input);
        if (outcome === 'loaded') loaded += 1;
        else if (outcome !== 'refused') throw new Error(outcome);
        if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeNames) throw new Error('Object.prototype changed');
      }),
      { seed: 20_261_202, numRuns: 1500 },
    );
    // Some inputs must load, or the property only ever checks the error path.
    expect(loaded).toBeGreaterThan(100);
  });
});
