import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePriority } from './request-priority';

describe('parsePriority', () => {
  it('reads the three classes in any case and spacing, and nothing else', () => {
    expect([' HIGH ', 'normal', 'Low'].map(parsePriority)).toEqual(['high', 'normal', 'low']);
    expect(['urgent', '', '__proto__', 42, undefined, null, { toString: () => 'high' }].map(parsePriority)).toEqual(Array(7).fill(undefined));
  });

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (value) => [undefined, 'high', 'normal', 'low'].includes(parsePriority(value))));
  });
});
