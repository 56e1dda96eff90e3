import { createServer, type AddressInfo, type Socket } from 'node:net';
import { startTunnellingProxy } from '@detour/testkit';
import type { Agent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter, createUndiciTransport, InvalidOptionsError, type NodeRouter, type RouterEvent, type UndiciTransport } from '../src/index';
import { agentOptionsSchema } from '../src/schemas';
import { createUpstreamAgent } from '../src/upstream-agent';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const listen = async (server: ReturnType<typeof createServer>): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
};

const answer = '{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}';

/**
 * A raw HTTP/1.1 upstream that answers each connection's requests until `fails(n, total)` says the n-th request on it
 * (from 1; `total` counts all connections') is one it never answers: it closes the connection on receiving it, as a
 * server does whose idle close crossed the request on the wire, after `delayMs`. Counts what arrives.
 */
const upstream = async (fails: (nth: number, total: number) => boolean, delayMs = 0) => {
  const seen = { connections: 0, requests: 0 };
  const server = createServer((socket) => {
    seen.connections += 1;
    let nth = 0;
    socket.on('data', (chunk) => {
      // Each test request is one small POST, arriving whole in one chunk: a request per request line.
      for (let count = chunk.toString('latin1').split('POST /').length - 1; count > 0; count -= 1) {
        nth += 1;
        seen.requests += 1;
        if (fails(nth, seen.requests)) {
          setTimeout(() => socket.destroy(), delayMs);
          return;
        }
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${answer.length}\r\n\r\n${answer}`);
      }
    });
    socket.on('error', () => undefined);
  });
  return { port: await listen(server), seen };
};

const readAll = async (body: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
};

/**
 * A transport on a pool the test can watch: `idle()` waits until the pool holds a free connection, as it does a tick
 * after an answer ends, so the next request goes on it (sent sooner, it may open another).
 */
const pooledTransport = (options = {}) => {
  const agent = createUpstreamAgent(agentOptionsSchema.parse(options)) as Agent;
  const transport = createUndiciTransport(agentOptionsSchema.parse(options), agent);
  closers.push(() => transport.close());
  const idle = () => vi.waitFor(() => expect(Object.values(agent.stats).some((stats) => ((stats as { free?: number }).free ?? 0) > 0)).toBe(true), { interval: 1 });
  return { transport, idle };
};

const transportFor = (options = {}): UndiciTransport => pooledTransport(options).transport;

const send = (transport: UndiciTransport, url: string) =>
  transport({ endpoint: 'one', method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"model":"m"}' }, new AbortController().signal);

describe('the undici transport, on a connection the upstream closed', () => {
  it('sends a request again on a fresh connection when the one it was written on was closed before any answer', async () => {
    // Every connection's second request crosses the server's close: each request after the first finds one.
    const { port, seen } = await upstream((nth) => nth === 2);
    const { transport, idle } = pooledTransport();
    for (let index = 0; index < 4; index += 1) {
      if (index > 0) await idle();
      const response = await send(transport, `http://127.0.0.1:${port}/v1/chat/completions`);
      expect(response.status).toBe(200);
      expect(await readAll(response.body)).toBe(answer);
    }
    // All 4 answered; each of the last 3 crossed a close, and was sent once more on a new connection.
    expect(seen).toEqual({ connections: 4, requests: 7 });
  });

  it('sends it once more at most, on a fresh connection, and never again when that one fails too', async () => {
    // Answers the first request, then closes every connection a request comes on.
    const { port, seen } = await upstream((_, total) => total > 1);
    const { transport, idle } = pooledTransport();
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    expect(await readAll((await send(transport, url)).body)).toBe(answer);
    await idle();
    await expect(send(transport, url)).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/) });
    expect(seen.requests).toBe(3);
  });

  it('never sends again a request whose connection closed a while after it went out (the provider may have run it)', async () => {
    const { port, seen } = await upstream((_, total) => total > 1, 1_100);
    const { transport, idle } = pooledTransport();
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    expect(await readAll((await send(transport, url)).body)).toBe(answer);
    await idle();
    await expect(send(transport, url)).rejects.toThrow();
    expect(seen.requests).toBe(2);
  });

  it('never sends again a request that must not run twice (a POST /files), even on a stale pooled connection', async () => {
    // Attack 20, H1: a server that read the upload and closed the connection had it created twice.
    const { port, seen } = await upstream((nth) => nth === 2);
    const { transport, idle } = pooledTransport();
    const url = `http://127.0.0.1:${port}/v1/files`;
    expect(await readAll((await send(transport, url)).body)).toBe(answer);
    await idle();
    const once = { endpoint: 'one', method: 'POST', url, headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n', replayable: false };
    await expect(transport(once, new AbortController().signal)).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/) });
    expect(seen.requests).toBe(2);
  });

  it('never sends again a request that went on a fresh connection: an endpoint that resets every request is asked once', async () => {
    const { port, seen } = await upstream(() => true);
    const transport = transportFor();
    await expect(send(transport, `http://127.0.0.1:${port}/v1/chat/completions`)).rejects.toThrow();
    expect(seen.requests).toBe(1);
  });

  it('keeps a healthy endpoint whose idle connections close under it: no breaker change, no failover', async () => {
    const primary = await upstream((nth) => nth === 2);
    const backup = await upstream(() => false);
    const { transport, idle } = pooledTransport();
    const router: NodeRouter = createRouter(
      {
        endpoints: [
          { name: 'primary', baseUrl: `http://127.0.0.1:${primary.port}/v1`, apiKey: 'sk-primary-0000', priority: 0 },
          { name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'sk-backup-0000', priority: 1 },
        ],
        breaker: { consecutiveFailures: 2 },
      },
      { transport },
    );
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    for (let index = 0; index < 5; index += 1) {
      if (index > 0) await idle();
      const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(result.endpoint).toBe('primary');
      expect(result.attempts).toHaveLength(1);
    }
    expect(backup.seen.requests).toBe(0);
    expect(primary.seen).toEqual({ connections: 5, requests: 9 });
    expect(events.filter((event) => event.type === 'breaker-change')).toEqual([]);
  });
});

const tunnellingProxy = async () => {
  const proxy = await startTunnellingProxy();
  closers.push(() => proxy.close());
  return proxy;
};

const sendThrough = async (dispatcherEnv: Record<string, string>, options: object, url: string) => {
  const transport = createUndiciTransport(agentOptionsSchema.parse(options), createUpstreamAgent(agentOptionsSchema.parse(options), dispatcherEnv));
  closers.push(() => transport.close());
  const response = await send(transport, url);
  response.cancel();
  return response.status;
};

describe('the undici transport, behind an egress proxy', () => {
  it('goes through agent.proxy, sending the credentials in its URL to the proxy alone', async () => {
    const { port } = await upstream(() => false);
    const proxy = await tunnellingProxy();
    const withCredentials = proxy.url.replace('http://', 'http://corp%40user:s3cret@');
    expect(await sendThrough({}, { proxy: withCredentials }, `http://models.internal.test:${port}/v1/chat/completions`)).toBe(200);
    expect(proxy.asked).toEqual([{ target: `models.internal.test:${port}`, authorization: `Basic ${Buffer.from('corp@user:s3cret').toString('base64')}` }]);
  });

  it('follows HTTPS_PROXY and HTTP_PROXY by scheme, a URL without one read as http, except hosts in NO_PROXY', async () => {
    const { port } = await upstream(() => false);
    const proxy = await tunnellingProxy();
    const env = { HTTP_PROXY: proxy.url.replace('http://', ''), NO_PROXY: 'direct.test' };
    expect(await sendThrough(env, {}, `http://models.internal.test:${port}/v1/chat/completions`)).toBe(200);
    expect(proxy.asked.map((entry) => entry.target)).toEqual([`models.internal.test:${port}`]);
    // Not proxied: the name does not resolve here, so the request fails on its own lookup, never reaching the proxy.
    await expect(sendThrough(env, {}, `http://direct.test:${port}/v1/chat/completions`)).rejects.toThrow();
    expect(proxy.asked).toHaveLength(1);
  });

  it('never sends a loopback endpoint through a proxy, nor anything when agent.proxy is false', async () => {
    const { port } = await upstream(() => false);
    const proxy = await tunnellingProxy();
    const env = { https_proxy: proxy.url, http_proxy: proxy.url };
    expect(await sendThrough(env, {}, `http://127.0.0.1:${port}/v1/chat/completions`)).toBe(200);
    expect(await sendThrough(env, {}, `http://localhost:${port}/v1/chat/completions`)).toBe(200);
    await expect(sendThrough(env, { proxy: false }, `http://models.internal.test:${port}/v1/chat/completions`)).rejects.toThrow();
    expect(proxy.asked).toEqual([]);
  });

  it('keeps https endpoints direct when only HTTP_PROXY is set, and every endpoint when NO_PROXY is *', async () => {
    const { port } = await upstream(() => false);
    const proxy = await tunnellingProxy();
    // Direct, the name does not resolve here: the request fails on its own lookup, never reaching the proxy.
    await expect(sendThrough({ HTTP_PROXY: proxy.url }, {}, `https://models.internal.test:${port}/v1/chat/completions`)).rejects.toThrow();
    await expect(sendThrough({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '*' }, {}, `http://models.internal.test:${port}/v1/chat/completions`)).rejects.toThrow();
    expect(proxy.asked).toEqual([]);
    // Every loopback address is direct, not only 127.0.0.1.
    expect(await sendThrough({ HTTP_PROXY: proxy.url }, {}, `http://127.0.0.2:${port}/v1/chat/completions`).catch((error: { code?: string }) => error.code)).not.toBe(200);
    expect(proxy.asked).toEqual([]);
  });

  it('fails the tunnel at once when the proxy closes the connection in answer to CONNECT, asking once', async () => {
    const proxy = await tunnellingProxy();
    // Nothing listens on the target: the proxy closes the caller's connection. undici's own pool asked again at once,
    // thousands of times a second, and the request waited for its deadline.
    const unused = createServer();
    const port = await listen(unused);
    await new Promise<void>((resolve) => unused.close(() => resolve()));
    await expect(sendThrough({}, { proxy: proxy.url }, `http://models.internal.test:${port}/v1/chat/completions`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(proxy.asked).toHaveLength(1);
  });

  it('bounds a proxy that never answers CONNECT by connectTimeoutMs', async () => {
    const silent = createServer((socket) => socket.on('error', () => undefined));
    const port = await listen(silent);
    await expect(sendThrough({}, { proxy: `http://127.0.0.1:${port}`, connectTimeoutMs: 300 }, 'http://models.internal.test:8080/v1/chat/completions')).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
  });

  it('refuses at start a proxy variable that holds no http(s) URL, naming the variable and never its value', () => {
    const options = agentOptionsSchema.parse({});
    for (const value of ['socks5://user:hunter2@proxy', 'http://', '::', 'http://user:hunter2%zz@proxy.corp']) {
      const error = (() => {
        try {
          createUpstreamAgent(options, { HTTPS_PROXY: value });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).message).toContain('HTTPS_PROXY');
      expect((error as InvalidOptionsError).message).not.toContain('hunter2');
    }
    // agent.proxy: false never reads them.
    expect(() => createUpstreamAgent(agentOptionsSchema.parse({ proxy: false }), { HTTPS_PROXY: '::' })).not.toThrow();
  });

  it('checks agent.proxy with the other options, without echoing it', () => {
    expect(() => createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://api.example/v1' }], agent: { proxy: 'socks5://user:hunter2@proxy' } })).toThrow(
      /agent\.proxy: expected an http\(s\) URL, or false for no proxy/,
    );
    try {
      createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://api.example/v1' }], agent: { proxy: 'socks5://user:hunter2@proxy' } });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe('createRouter with a transport of the caller’s', () => {
  it('makes no pool of its own, and leaves the caller’s transport open (another router may share it)', async () => {
    let closed = 0;
    const transport = Object.assign(async () => new Response('{}') as never, { close: async () => void (closed += 1) });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://api.example/v1' }] }, { transport });
    await router.close();
    expect(closed).toBe(0);
  });
});
