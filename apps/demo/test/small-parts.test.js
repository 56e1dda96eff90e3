import { describe, expect, it } from 'vitest';
import { endpointState } from '../src/endpoint-state.js';
import { parseCliArgs } from '../src/parse-cli-args.js';
import { percentile } from '../src/percentile.js';
import { stateSegments } from '../src/report/state-segments.js';

const health = { name: 'primary', priority: 0, weight: 1, breaker: 'closed', breakerOpenUntil: 0, cooldownUntil: 0, modelCooldowns: {}, disabledUntil: 0, reason: undefined, available: true };

describe('the demo’s small parts', () => {
  it('percentile returns an observed value by nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('an endpoint whose model is cooling after a 429 shows as cooling, not closed', () => {
    expect(endpointState({ ...health, modelCooldowns: { 'gpt-4.1': 3000 } }, 1000)).toEqual({ name: 'cooling', secondsLeft: 2 });
    expect(endpointState({ ...health, breaker: 'open', breakerOpenUntil: 1500 }, 1000)).toEqual({ name: 'open', secondsLeft: 0.5 });
    expect(endpointState(health, 1000).name).toBe('closed');
  });

  it('the command line takes the scenario defaults unless told otherwise, and rejects nonsense', () => {
    expect(parseCliArgs([], 'r.html')).toMatchObject({ durationSeconds: 20, rate: 20, reportPath: 'r.html' });
    expect(parseCliArgs(['--', '--scenario', 'quick', '--rate', '5'], 'r.html')).toMatchObject({ durationSeconds: 8, rate: 5 });
    expect(parseCliArgs(['--help'], 'r.html')).toBeUndefined();
    expect(() => parseCliArgs(['--scenario', 'nope'], 'r.html')).toThrow(/unknown scenario/);
    expect(() => parseCliArgs(['--rate', '0'], 'r.html')).toThrow(/--rate/);
  });

  it('an open breaker draws as open until its openUntil, then half-open until the probe, and cooldowns merge', () => {
    const events = [
      { type: 'breaker-change', endpoint: 'backup', from: 'closed', to: 'open', openUntil: 1500, at: 1000, t: 1000 },
      { type: 'breaker-change', endpoint: 'backup', from: 'open', to: 'closed', openUntil: 0, at: 1800, t: 1800 },
      { type: 'cooldown-start', endpoint: 'backup', until: 2500, at: 2000, t: 2000, reason: '429' },
      { type: 'cooldown-start', endpoint: 'backup', until: 3000, at: 2400, t: 2400, reason: '429' },
    ];
    expect(stateSegments(events, 'backup', 0, 5000).map(({ fromMs, toMs, state }) => [state, fromMs, toMs])).toEqual([
      ['open', 1000, 1500], ['half-open', 1500, 1800], ['cooling', 2000, 3000],
    ]);
  });
});
