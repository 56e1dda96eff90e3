import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRouterOptions } from '../options/parse-router-options';
import { apiNames, apiOfPath } from './api-name';
import { defaultApis, endpointApis } from './endpoint-apis';

describe('apiOfPath', () => {
  it.each([
    ['/chat/completions', 'chat'],
    ['/chat/completions?api-version=2024-10-21', 'chat'],
    ['/completions', 'completions'],
    ['/embeddings', 'embeddings'],
    ['/responses', 'responses'],
    ['/responses/resp_123', 'responses'],
    ['/responses/resp_123/input_items?limit=5', 'responses'],
    ['/responses/resp_123/cancel', 'responses'],
    ['/messages', 'messages'],
    ['/messages/count_tokens', 'messages'],
    ['/messages/batches/msgbatch_1/results', 'messages'],
    ['messages', 'messages'],
  ])('reads %s as the %s API', (path, api) => {
    expect(apiOfPath(path)).toBe(api);
  });

  it.each(['/models', '/audio/speech', '/files/file-1/content', '/responsesx', '/chat/completions/x', '/', ''])('reads %s as no API', (path) => {
    expect(apiOfPath(path)).toBeUndefined();
  });

  it('never throws, and answers an API name or undefined, whatever the path (property)', () => {
    fc.assert(
      fc.property(fc.string(), (path) => {
        const api = apiOfPath(path);
        return api === undefined || apiNames.includes(api);
      }),
    );
  });

  it('ignores the query, whatever it says (property)', () => {
    fc.assert(fc.property(fc.constantFrom('/chat/completions', '/responses', '/messages', '/models'), fc.string(), (path, query) => apiOfPath(`${path}?${query}`) === apiOfPath(path)));
  });
});

describe('endpoint APIs', () => {
  it.each([
    [undefined, ['chat', 'completions', 'embeddings', 'responses']],
    ['openai', ['chat', 'completions', 'embeddings', 'responses']],
    ['azure', ['chat', 'completions', 'embeddings', 'responses']],
    ['other', ['chat', 'completions', 'embeddings', 'responses']],
    ['anthropic', ['messages']],
    ['groq', ['chat', 'responses']],
    ['deepseek', ['chat', 'completions']],
    ['together', ['chat', 'completions', 'embeddings']],
    ['openrouter', ['chat', 'completions', 'responses']],
    ['gemini', ['chat', 'embeddings']],
    ['mistral', ['chat', 'embeddings']],
    ['__proto__', ['chat', 'completions', 'embeddings', 'responses']],
  ])('defaults provider %s to %j', (provider, apis) => {
    expect(defaultApis(provider)).toEqual(apis);
    expect(endpointApis({ provider })).toEqual(apis);
  });

  it("keeps an endpoint's own apis over its provider's", () => {
    expect(endpointApis({ provider: 'anthropic', apis: ['chat', 'messages'] })).toEqual(['chat', 'messages']);
  });

  it('fills apis and the key header in at parse time, by provider', () => {
    const options = parseRouterOptions({
      endpoints: [
        { name: 'openai', baseUrl: 'https://api.openai.com/v1' },
        { name: 'claude', baseUrl: 'https://api.anthropic.com/v1', provider: 'anthropic' },
        { name: 'claude-bearer', baseUrl: 'https://relay.example/v1', provider: 'anthropic', apiKeyHeader: 'authorization', apis: ['messages', 'chat'] },
        // Azure OpenAI takes a key in `api-key`: the docs said so, and it went as Bearer (attack 22, D4).
        { name: 'azure', baseUrl: 'https://team.openai.azure.com/openai/v1', provider: 'azure' },
        { name: 'azure-entra', baseUrl: 'https://team.openai.azure.com/openai/v1', provider: 'azure', apiKeyHeader: 'authorization' },
      ],
    });
    expect(options.endpoints.map(({ apis, apiKeyHeader }) => ({ apis, apiKeyHeader }))).toEqual([
      { apis: ['chat', 'completions', 'embeddings', 'responses'], apiKeyHeader: 'authorization' },
      { apis: ['messages'], apiKeyHeader: 'x-api-key' },
      { apis: ['messages', 'chat'], apiKeyHeader: 'authorization' },
      { apis: ['chat', 'completions', 'embeddings', 'responses'], apiKeyHeader: 'api-key' },
      { apis: ['chat', 'completions', 'embeddings', 'responses'], apiKeyHeader: 'authorization' },
    ]);
    // Parsed options are valid input again (a gateway re-parses what it was given).
    expect(() => parseRouterOptions(options)).not.toThrow();
  });

  it.each([
    [[], 'list at least one API'],
    [['chat', 'chat'], 'list each API once'],
    [['chat', 'speech'], 'endpoints[0].apis'],
  ])('refuses apis %j', (apis, message) => {
    expect(() => parseRouterOptions({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apis: apis as never }] })).toThrow(message);
  });
});
