import { describe, expect, it } from 'vitest';
import { connectionListedHeaders, modelHeaderValue, toWebHeaders } from './to-response';

describe('relayed upstream headers', () => {
  it('drops what the upstream\'s Connection names, in any case and spacing, and keeps the rest', () => {
    const headers = toWebHeaders({
      connection: 'keep-alive, X-Secret-Hop ,x-other',
      'x-secret-hop': 'should-not-relay',
      'x-other': 'no',
      'x-request-id': 'req_1',
      'keep-alive': 'timeout=5',
    });
    expect(headers.get('x-request-id')).toBe('req_1');
    for (const name of ['x-secret-hop', 'x-other', 'keep-alive', 'connection']) expect(headers.get(name)).toBeNull();
  });

  it('reads every Connection field a response repeats', () => {
    expect(connectionListedHeaders({ connection: ['close', 'x-a', 'x-b, keep-alive'] })).toEqual(new Set(['x-a', 'x-b']));
  });

  it('names nothing for the usual keep-alive or close', () => {
    expect(connectionListedHeaders({ connection: 'keep-alive' })).toBeUndefined();
    expect(connectionListedHeaders({ connection: ' Close ' })).toBeUndefined();
    expect(connectionListedHeaders({})).toBeUndefined();
  });
});

describe('the x-detour-model value', () => {
  it('is any model name a caller can send, as a header can carry it, a lone surrogate included', () => {
    expect(modelHeaderValue('gpt-4.1')).toBe('gpt-4.1');
    expect(modelHeaderValue('modèle 😀')).toBe('mod%C3%A8le%20%F0%9F%98%80');
    // JSON's "a\ud800b" made encodeURIComponent throw after the upstream had answered: a 500 for a served request.
    expect(modelHeaderValue(JSON.parse('"a\\ud800b\\udc00"') as string)).toBe('a%EF%BF%BDb%EF%BF%BD');
    expect(() => new Headers({ 'x-detour-model': modelHeaderValue('\ud83d') })).not.toThrow();
  });
});

describe('an upstream\'s headers in Detour\'s namespace', () => {
  it('are never relayed: a caller reads x-detour-* as Detour\'s word', () => {
    const headers = toWebHeaders({ 'x-detour-cost-usd': '1000', 'x-detour-error': 'spoofed', 'x-detour-endpoint': 'elsewhere', 'x-request-id': 'req_1' });
    const names: string[] = [];
    headers.forEach((_, name) => names.push(name));
    expect(names).toEqual(['x-request-id']);
  });
});
