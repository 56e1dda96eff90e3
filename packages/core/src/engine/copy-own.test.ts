import { describe, expect, it } from 'vitest';
import { copyOwn } from './copy-own';

describe('copyOwn', () => {
  it('copies own enumerable properties in order, as a spread does', () => {
    const source = Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { b: 1, a: [2], 3: 'x' });
    const copy = copyOwn<Record<string, unknown>>({ first: true }, source);
    expect(copy).toEqual({ first: true, ...source });
    expect(Object.keys(copy)).toEqual(Object.keys({ first: true, ...source }));
    expect(copy.a).toBe(source.a);
    expect('inherited' in copy).toBe(false);
  });

  it('leaves the target as it is when there is no source', () => {
    const target = { a: 1 };
    expect(copyOwn(target, undefined)).toBe(target);
    expect(target).toEqual({ a: 1 });
  });

  it('defines a hostile "__proto__" key as data, never changing the copy\'s prototype', () => {
    const hostile = JSON.parse('{"model":"m","__proto__":{"polluted":true,"model":"other"}}') as Record<string, unknown>;
    const copy = copyOwn<Record<string, unknown>>({}, hostile);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(copy.model).toBe('m');
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...hostile }));
  });
});
