import { describe, expect, it } from 'vitest';
import { resolvedEndpointSchema } from '../options/endpoint-schema';
import { createServingEndpoints } from './serving-endpoints';

const endpoints = [
  resolvedEndpointSchema.parse({ name: 'chat', baseUrl: 'https://chat.example/v1', models: { 'gpt-4.1': 'gpt-4.1-2025-04-14' } }),
  resolvedEndpointSchema.parse({ name: 'any', baseUrl: 'https://any.example/v1' }),
  resolvedEndpointSchema.parse({ name: 'messages', baseUrl: 'https://messages.example/v1', apis: ['messages'] }),
];

describe('createServingEndpoints', () => {
  it('finds the endpoints that speak the API and serve the model, with the name each sends', () => {
    const serving = createServingEndpoints(endpoints);
    expect(serving('chat', 'gpt-4.1').map(({ name, upstreamModel }) => [name, upstreamModel])).toEqual([['chat', 'gpt-4.1-2025-04-14'], ['any', 'gpt-4.1']]);
    expect(serving('chat', 'claude').map(({ name }) => name)).toEqual(['any']);
    expect(serving('messages', 'claude').map(({ name }) => name)).toEqual(['messages']);
    // No API (a route such as /models) and no model both match every endpoint.
    expect(serving(undefined, undefined).map(({ name }) => name)).toEqual(['chat', 'any', 'messages']);
    expect(serving('chat', undefined).map(({ name }) => name)).toEqual(['chat', 'any']);
  });

  it('answers a repeated pair from its cache, and keeps API and model apart', () => {
    const serving = createServingEndpoints(endpoints);
    expect(serving('chat', 'gpt-4.1')).toBe(serving('chat', 'gpt-4.1'));
    expect(serving('messages', 'gpt-4.1')).not.toBe(serving('chat', 'gpt-4.1'));
    expect(serving('chat', '__proto__').map(({ name }) => name)).toEqual(['any']);
    expect(serving('chat', 'constructor').map(({ name }) => name)).toEqual(['any']);
  });

  it('caches at most a thousand pairs, so invented model names cannot grow it, and still answers the rest', () => {
    const serving = createServingEndpoints(endpoints);
    for (let index = 0; index < 1000; index += 1) serving(index % 2 === 0 ? 'chat' : 'messages', `invented-${index}`);
    const late = serving('chat', 'invented-late');
    expect(late.map(({ name }) => name)).toEqual(['any']);
    expect(serving('chat', 'invented-late')).not.toBe(late);
    expect(serving('chat', 'invented-0')).toBe(serving('chat', 'invented-0'));
  });
});
