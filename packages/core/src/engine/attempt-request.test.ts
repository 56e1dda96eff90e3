import { describe, expect, it } from 'vitest';
import { resolvedEndpointSchema } from '../options/endpoint-schema';
import { buildAttemptRequest } from './attempt-request';
import type { PreparedRequest } from './prepare-request';

const prepared = (path: string): PreparedRequest =>
  ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: undefined, json: undefined, model: undefined }) as unknown as PreparedRequest;
const attempt = (endpoint: ReturnType<typeof resolvedEndpointSchema.parse>, path: string) =>
  buildAttemptRequest(endpoint, prepared(path), undefined, { bodyCache: undefined });

describe('buildAttemptRequest', () => {
  const azure = resolvedEndpointSchema.parse({
    name: 'azure', baseUrl: 'https://azure.example/openai/', apiKey: 'azure-key-0123456789', apiKeyHeader: 'Api-Key',
    query: { 'api-version': '2024-10-21' },
  });
  const openai = resolvedEndpointSchema.parse({ name: 'openai', baseUrl: 'https://api.example/v1', apiKey: 'sk-test-0123456789' });

  it('sends each endpoint its URL, its query over the caller’s, and its key in its own header', () => {
    expect(attempt(openai, '/chat/completions')).toMatchObject({ url: 'https://api.example/v1/chat/completions', headers: { authorization: 'Bearer sk-test-0123456789' } });
    const request = attempt(azure, '/chat/completions?api-version=2020-01-01&beta=true');
    expect(request.url).toBe('https://azure.example/openai/chat/completions?api-version=2024-10-21&beta=true');
    expect(request.headers).toEqual({ 'content-type': 'application/json', 'api-key': 'azure-key-0123456789' });
    expect(attempt(azure, '/embeddings').url).toBe('https://azure.example/openai/embeddings?api-version=2024-10-21');
  });

  it('builds a URL once per endpoint and path, the same string after, and past its cap still the right one', () => {
    expect(attempt(openai, '/chat/completions').url).toBe(attempt(openai, '/chat/completions').url);
    // A caller's query makes paths without bound: past the cap, each is built afresh, never another's.
    for (let index = 0; index < 100; index += 1) {
      expect(attempt(azure, `/chat/completions?n=${index}`).url).toBe(`https://azure.example/openai/chat/completions?n=${index}&api-version=2024-10-21`);
    }
    // Another endpoint with the same settings is another object: its own URLs and key.
    const other = resolvedEndpointSchema.parse({ name: 'openai-2', baseUrl: 'https://api.example/v1', apiKey: 'sk-other-0123456789' });
    expect(attempt(other, '/chat/completions').headers.authorization).toBe('Bearer sk-other-0123456789');
  });
});
