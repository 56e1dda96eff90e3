import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerLookup, readHeader } from './read-header';

describe('headerLookup', () => {
  it('reads a record with lower-case names (as transports hand them over) directly', () => {
    const header = headerLookup({ 'retry-after': '5', 'x-ratelimit-remaining-requests': '0' });
    expect(header('retry-after')).toBe('5');
    expect(header('x-ratelimit-remaining-requests')).toBe('0');
    expect(header('date')).toBeUndefined();
  });

  it('reads every name case-insensitively once any name has an upper-case letter, wherever it is', () => {
    const header = headerLookup({ 'retry-after': '5', date: 'Wed, 21 Oct 2015 07:27:30 GMT', 'X-Should-Retry': 'false' });
    expect(header('retry-after')).toBe('5');
    expect(header('date')).toBe('Wed, 21 Oct 2015 07:27:30 GMT');
    expect(header('x-should-retry')).toBe('false');
  });

  it('joins repeated fields with ", " and leaves names outside ASCII as they lower', () => {
    const header = headerLookup({ 'X-Ä': 'one', 'retry-after-ms': ['100', '200'] });
    expect(header('retry-after-ms')).toBe('100, 200');
    expect(header('x-ä')).toBe('one');
  });

  it('reads a record whose names the caller vouches are lower case without checking them', () => {
    // Vouched for, the record is read as it is: a name in another case is not found (the transport broke its word).
    const header = headerLookup({ 'retry-after': '5', 'X-Should-Retry': 'false' }, true);
    expect(header('retry-after')).toBe('5');
    expect(header('x-should-retry')).toBeUndefined();
  });

  it('reads Web Headers through get', () => {
    expect(headerLookup(new Headers({ 'Retry-After': '7' }))('retry-after')).toBe('7');
  });

  it('agrees with readHeader on any record, whatever the case of its names', () => {
    const name = fc.constantFrom('retry-after', 'date', 'x-ratelimit-remaining-tokens', 'anthropic-ratelimit-requests-remaining');
    const spelling = (lower: string) => fc.array(fc.boolean(), { minLength: lower.length, maxLength: lower.length })
      .map((upper) => [...lower].map((character, index) => (upper[index] ? character.toUpperCase() : character)).join(''));
    const record = fc.uniqueArray(name, { maxLength: 4 }).chain((names) =>
      fc.tuple(...names.map((lower) => fc.tuple(spelling(lower), fc.string()))).map((entries) => Object.fromEntries(entries)));
    fc.assert(fc.property(record, name, (headers, wanted) => {
      expect(headerLookup(headers)(wanted)).toBe(readHeader(headers, wanted));
    }));
  });
});
