import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Attack 24 through the gateway, on real sockets with the real openai SDK: what one caller's request makes the
// provider refuse must not take the endpoint away from the other callers.

const servers: Server[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An OpenAI-like upstream: a project without gpt-5-pro, strict about unknown fields, and it counts what it is asked. */
const startUpstream = async () => {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const json = JSON.parse(body) as Record<string, unknown>;
      asked.push(String(json.model));
      const unknown = Object.keys(json).find((key) => !['model', 'messages'].includes(key));
      const [status, answer] = json.model === 'gpt-5-pro'
        ? [403, { error: { message: 'Project `proj_abc` does not have access to model `gpt-5-pro`', type: 'invalid_request_error', param: null, code: 'model_not_found' } }]
        : unknown !== undefined
          ? [400, { error: { message: `Unrecognized request argument supplied: ${unknown}`, type: 'invalid_request_error', param: null, code: null } }]
          : [200, { id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: json.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { asked, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
};

describe('a caller cannot take an endpoint away from the others (attack 24)', () => {
  it('serves team B after team A asks for a model the project may not use, and names fields "per day" and "billing"', async () => {
    const upstream = await startUpstream();
    const config = loadConfig({ endpoints: [{ name: 'openai', baseUrl: upstream.baseUrl, apiKey: 'sk-openai', provider: 'openai' }], gatewayKeys: ['gk'] }, {});
    const gateway = await startGateway({ config });
    gateways.push(gateway);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk', maxRetries: 0 });
    const ask = (model: string, extra: Record<string, unknown> = {}) =>
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming);

    await expect(ask('gpt-5-pro')).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(ask('gpt-4.1', { 'per day': 1 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(ask('gpt-4.1', { billing: 1 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    // Team B is served, and the refused model is not asked again.
    expect((await ask('gpt-4.1')).choices[0]?.message.content).toBe('ok');
    await expect(ask('gpt-5-pro')).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(upstream.asked).toEqual(['gpt-5-pro', 'gpt-4.1', 'gpt-4.1', 'gpt-4.1']);
    const health = await (await fetch(`${gateway.url}/healthz`)).json() as { status: string; endpoints: { available: boolean; modelCooldownSeconds: Record<string, number> }[] };
    expect(health.status).toBe('ok');
    expect(health.endpoints[0]).toMatchObject({ available: true });
    expect(Object.keys(health.endpoints[0]!.modelCooldownSeconds)).toEqual(['gpt-5-pro']);
  });
});
