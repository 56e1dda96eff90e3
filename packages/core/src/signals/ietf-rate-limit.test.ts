import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readIetfRateLimit } from './ietf-rate-limit';
import { parseStructuredList } from './parse-structured-list';

describe('readIetfRateLimit', () => {
  it('reads draft-10 RateLimit fields', () => {
    expect(readIetfRateLimit('"default";r=0;t=10')).toEqual({ remaining: 0, resetMs: 10_000 });
    expect(readIetfRateLimit('"default";r=50;t=30')).toEqual({ remaining: 50, resetMs: 30_000 });
    expect(readIetfRateLimit('"burst";r=5;t=1, "daily";r=0;t=3600')).toEqual({ remaining: 0, resetMs: 3_600_000 });
    expect(readIetfRateLimit('"day";r=3')).toEqual({ remaining: 3, resetMs: undefined });
    // Two policies spent: the request must wait for the one that resets last.
    expect(readIetfRateLimit('"burst";r=0;t=1, "daily";r=0;t=86400')).toEqual({ remaining: 0, resetMs: 86_400_000 });
  });

  it('reads the older draft-07 dictionary form', () => {
    expect(readIetfRateLimit('limit=100, remaining=0, reset=30')).toEqual({ remaining: 0, resetMs: 30_000 });
  });

  it.each(['"default";r=-1;t=10', '"default";t=10', '"default";r=0;t=1.5', '"default";r=0,', '"unterminated;r=0', ''])(
    'ignores the malformed field %j rather than reading it as exhausted',
    (field) => {
      expect(readIetfRateLimit(field)).toBeUndefined();
    },
  );

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (field) => {
      const reading = readIetfRateLimit(field);
      return reading === undefined || (reading.remaining >= 0 && (reading.resetMs === undefined || Number.isFinite(reading.resetMs)));
    }));
  });
});

describe('parseStructuredList', () => {
  it('parses items with parameters of every bare type', () => {
    expect(parseStructuredList('"burst";q=100;w=60,"daily";q=1000;w=86400')).toEqual([
      { value: 'burst', params: { q: 100, w: 60 } },
      { value: 'daily', params: { q: 1000, w: 86400 } },
    ]);
    expect(parseStructuredList('token;a=?1;b=:AQID:;c="x\\"y";d=1.5;e')).toEqual([
      { value: 'token', params: { a: true, b: 'AQID', c: 'x"y', d: 1.5, e: true } },
    ]);
  });
});
