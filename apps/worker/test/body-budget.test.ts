import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';
import { createBodyBudget } from '../src/routes/body-budget';

// A caller sending many large bodies to a slow upstream took the gateway to 2.9 GB: `maxBodyBytesInFlight` bounds the
// bytes of request bodies the requests in flight hold together, over real sockets.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An upstream that holds every request until the test answers it: `next()` resolves with the next one to arrive. */
const heldUpstream = async () => {
  const waiting: ((held: { request: IncomingMessage; response: ServerResponse }) => void)[] = [];
  const arrived: { request: IncomingMessage; response: ServerResponse }[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      const held = { request, response };
      const taker = waiting.shift();
      if (taker) taker(held);
      else arrived.push(held);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const next = () => new Promise<{ request: IncomingMessage; response: ServerResponse }>((resolve) => {
    const held = arrived.shift();
    if (held) resolve(held);
    else waiting.push(resolve);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, next };
};

const completion = JSON.stringify({
  id: 'c', object: 'chat.completion', model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

const gatewayFor = async (baseUrl: string): Promise<RunningGateway> => {
  const config = loadConfig(
    { endpoints: [{ name: 'only', baseUrl, apiKey: 'sk-budget-0123456789' }], gatewayKeys: ['gk-budget'], maxBodyBytes: 600_000, maxBodyBytesInFlight: 1_000_000 },
    {},
  );
  const gateway = await startGateway({ config });
  closers.push(() => gateway.close(0));
  return gateway;
};

/** A chat request of about `bytes` bytes. */
const post = (gateway: RunningGateway, bytes: number, stream = false) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer gk-budget', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1', stream, messages: [{ role: 'user', content: 'x'.repeat(bytes) }] }),
  });

describe('maxBodyBytesInFlight', () => {
  it('answers 503 gateway_overloaded with retry-after while the bodies in flight fill it, and takes requests again once they finish', async () => {
    const upstream = await heldUpstream();
    const gateway = await gatewayFor(upstream.url);
    const first = post(gateway, 550_000);
    const held = await upstream.next();
    const refused = await post(gateway, 550_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { code: 'gateway_overloaded', message: expect.stringContaining('maxBodyBytesInFlight') } });
    // A small one still fits beside it.
    const small = post(gateway, 1_000);
    (await upstream.next()).response.end(completion);
    expect((await small).status).toBe(200);
    held.response.setHeader('content-type', 'application/json');
    held.response.end(completion);
    expect((await first).status).toBe(200);
    const again = post(gateway, 550_000);
    (await upstream.next()).response.end(completion);
    expect((await again).status).toBe(200);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_rejected_requests_total{reason="gateway_overloaded"} 1');
  });

  it('holds a stream’s body until the stream ends, which a rescue may replay', async () => {
    const upstream = await heldUpstream();
    const gateway = await gatewayFor(upstream.url);
    const streaming = await (async () => {
      const answer = post(gateway, 550_000, true);
      const held = await upstream.next();
      held.response.writeHead(200, { 'content-type': 'text/event-stream' });
      held.response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })}\n\n`);
      return { response: await answer, held };
    })();
    expect(streaming.response.status).toBe(200);
    expect((await post(gateway, 550_000)).status).toBe(503);
    streaming.held.response.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
    expect(await streaming.response.text()).toContain('[DONE]');
    const after = post(gateway, 550_000);
    (await upstream.next()).response.end(completion);
    expect((await after).status).toBe(200);
  });

  it('counts bytes as they arrive: connections that declare large bodies and send none hold nothing', async () => {
    const upstream = await heldUpstream();
    const gateway = await gatewayFor(upstream.url);
    const { port } = new URL(gateway.url);
    const idle = await Promise.all([1, 2].map(() => new Promise<Socket>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer gk-budget\r\ncontent-type: application/json\r\ncontent-length: 550000\r\n\r\n`);
        resolve(socket);
      });
      socket.on('error', () => {});
    })));
    closers.push(async () => idle.forEach((socket) => socket.destroy()));
    const answer = post(gateway, 550_000);
    (await upstream.next()).response.end(completion);
    expect((await answer).status).toBe(200);
  });

  it('refuses a config whose bound is below one body', () => {
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a-0123456789' }], allowUnauthenticated: true, maxBodyBytes: 2000, maxBodyBytesInFlight: 1000 }, {}))
      .toThrow(/maxBodyBytesInFlight.*must be at least maxBodyBytes/s);
  });
});

describe('createBodyBudget', () => {
  it('grows each share by what fits, and gives a share back once however often its release is called', () => {
    const budget = createBodyBudget(100);
    const first = budget.open();
    expect([first.grow(30), first.grow(30)]).toEqual([true, true]);
    const second = budget.open();
    expect(second.grow(41)).toBe(false);
    expect(second.grow(40)).toBe(true);
    expect(budget.held).toBe(100);
    first.release();
    first.release();
    expect(budget.held).toBe(40);
    // A share given back takes nothing more.
    expect(first.grow(10)).toBe(false);
    second.release();
    expect(budget.held).toBe(0);
  });
});
