import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTunnellingProxy } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Attack 17a: the gateway's connection pool to its endpoints is configurable (`agent`), an egress proxy included.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const listening = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
};

const answer = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4.1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

describe('the gateway’s connection pool (agent)', () => {
  it('reaches its endpoints through agent.proxy, tunnelled, the endpoint’s host named only to the proxy', async () => {
    const upstreamPort = await listening(createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(answer)));
    const proxy = await startTunnellingProxy();
    closers.push(() => proxy.close());
    const config = loadConfig({
      endpoints: [{ name: 'primary', baseUrl: `http://models.internal.test:${upstreamPort}/v1`, apiKey: 'sk-agent-0000' }],
      gatewayKeys: ['gk-agent'],
      agent: { proxy: proxy.url, connectTimeoutMs: 2000, keepAliveTimeoutMs: 1000 },
    }, {});
    const gateway: RunningGateway = await startGateway({ config });
    closers.push(() => gateway.close(0));
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer gk-agent', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(proxy.asked.map((entry) => entry.target)).toEqual([`models.internal.test:${upstreamPort}`]);
  });

  it('names a bad agent setting by its path, never echoing a proxy URL', () => {
    const load = (agent: unknown) => () => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['gk'], agent }, {});
    expect(load({ proxy: 'socks5://user:hunter2@proxy.corp' })).toThrow(/agent\.proxy: expected an http\(s\) URL, or false for no proxy/);
    expect(load({ proxy: 'socks5://user:hunter2@proxy.corp' })).not.toThrow(/hunter2/);
    expect(load({ connectTimeoutMs: 0 })).toThrow(/agent\.connectTimeoutMs/);
    expect(load({ pool: 3 })).toThrow(/agent/);
  });
});
