import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouterEvent } from '@detour/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Attack 17b: the gateway's HTTP ingress as real clients and load balancers meet it.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const answer = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4.1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** An upstream that records each request's headers and answers when `hold` lets it (at once by default). */
const upstream = async (hold: () => Promise<void> = async () => undefined) => {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    seen.push(incoming.headers);
    incoming.resume();
    incoming.on('end', () => void hold().then(() => outgoing.writeHead(200, { 'content-type': 'application/json' }).end(answer)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
};

const gatewayFor = async (baseUrl: string, extra: Record<string, unknown> = {}): Promise<RunningGateway> => {
  const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl, apiKey: 'sk-ingress-0000' }], gatewayKeys: ['gk-ingress'], ...extra }, {});
  const gateway = await startGateway({ config });
  closers.push(() => gateway.close(0));
  return gateway;
};

const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });

/** One POST over `agent`, with its status, headers and whether Node saw `100 Continue` before the answer. */
const post = (gateway: RunningGateway, headers: Record<string, string | number>, agent?: Agent, payload = body) =>
  new Promise<{ status: number | undefined; headers: IncomingHttpHeaders; continued: boolean }>((resolve, reject) => {
    const { port } = new URL(gateway.url);
    let continued = false;
    const outgoing = request({ port: Number(port), host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', agent, headers: { 'content-length': Buffer.byteLength(payload), ...headers } });
    outgoing.on('continue', () => {
      continued = true;
      outgoing.end(payload);
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, continued }));
    });
    outgoing.on('error', reject);
    if (!('expect' in headers)) outgoing.end(payload);
  });

describe('the gateway behind a load balancer', () => {
  it('keeps an idle caller connection for 65 s by default, longer than a balancer’s 60 s, and as configured', async () => {
    const { url } = await upstream();
    const answered = await post(await gatewayFor(url), { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' });
    expect(answered.status).toBe(200);
    expect(answered.headers['keep-alive']).toBe('timeout=65');
    const configured = await post(await gatewayFor(url, { keepAliveTimeoutMs: 120_000 }), { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' });
    expect(configured.headers['keep-alive']).toBe('timeout=120');
  });

  it('answers a request still in flight when it drains with Connection: close, so the caller does not reuse the connection', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const { url } = await upstream(() => {
      arrived();
      return new Promise((resolve) => (release = resolve));
    });
    const gateway = await gatewayFor(url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(async () => agent.destroy());
    const inFlight = post(gateway, { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' }, agent);
    await waiting;
    const closed = gateway.close(10_000);
    release();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.headers.connection).toBe('close');
    await closed;
  });

  it('with shutdownDelayMs, still takes new connections while /healthz says draining (503), then closes the port', async () => {
    const { url } = await upstream();
    const gateway = await gatewayFor(url, { shutdownDelayMs: 1_000 });
    const closed = gateway.close();
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('connection')).toBe('close');
    expect(await health.json()).toMatchObject({ status: 'draining' });
    // A caller whose balancer has not yet heard is still served, on a connection it is told not to reuse.
    const answered = await post(gateway, { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' });
    expect(answered).toMatchObject({ status: 200, headers: { connection: 'close' } });
    await closed;
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });

  it('closes at once on close(0), whatever shutdownDelayMs says', async () => {
    const { url } = await upstream();
    const gateway = await gatewayFor(url, { shutdownDelayMs: 60_000 });
    await gateway.close(0);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });

  it('prices and logs a stream its grace cut, as it does one whose caller left (the log and metrics were closed first)', async () => {
    // An upstream that streams one chunk of an answer, then holds the rest back.
    const server: Server = createServer((incoming, outgoing) => {
      incoming.resume();
      outgoing.writeHead(200, { 'content-type': 'text/event-stream' });
      outgoing.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4.1', choices: [{ index: 0, delta: { content: 'a long answer begins' }, finish_reason: null }] })}\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
    const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk-ingress-0000' }], gatewayKeys: ['gk-ingress'] }, {});
    const lines: string[] = [];
    const gateway = await startGateway({ config, accessLog: (line) => lines.push(line) });
    const costs: number[] = [];
    const events: RouterEvent[] = [];
    gateway.router.subscribe((event) => {
      events.push(event);
      if (event.type === 'cost-record' && event.costUsd !== undefined) costs.push(event.costUsd);
    });
    const { port } = new URL(gateway.url);
    const streaming = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const cut = await new Promise<boolean>((resolve) => {
      const outgoing = request({ port: Number(port), host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' } });
      outgoing.on('response', (response) => {
        // The first chunk is here: the stream is open when the gateway's grace (none) runs out.
        response.once('data', () => void gateway.close(0));
        response.on('end', () => resolve(false));
        response.on('error', () => resolve(true));
        response.on('aborted', () => resolve(true));
      });
      outgoing.on('error', () => resolve(true));
      outgoing.end(streaming);
    });
    await gateway.close();
    expect(cut).toBe(true);
    expect(costs).toHaveLength(1);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { endpoint: string; status: number; costUsd: number | null };
    // The shutdown closed it (444), where the log said the caller's 200 before (attack 22's review, R6).
    expect(entry).toMatchObject({ endpoint: 'primary', status: 444, error: 'router_closed' });
    expect(entry.costUsd).toBe(costs[0]);
    // The grace's cut, not its caller's leaving (attack 21, T3): a shutdown, which counts against no endpoint.
    expect(events.filter((event) => event.type === 'stream-end')).toEqual([expect.objectContaining({ outcome: 'shutdown' })]);
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'router_closed' })]);
    expect(events.filter((event) => event.type === 'cost-record')).toEqual([expect.objectContaining({ outcome: 'abandoned' })]);
  });

  it('ends a request its grace cuts while the endpoint thinks as router_closed, and counts it against no endpoint', async () => {
    let held = 0;
    const { url } = await upstream(() => {
      held += 1;
      return new Promise(() => undefined);
    });
    const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: url, apiKey: 'sk-ingress-0000' }], gatewayKeys: ['gk-ingress'], router: { breaker: { consecutiveFailures: 1 } } }, {});
    const lines: string[] = [];
    const gateway = await startGateway({ config, accessLog: (line) => lines.push(line) });
    const events: RouterEvent[] = [];
    gateway.router.subscribe((event) => events.push(event));
    const answered = post(gateway, { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' }).then((result) => result.status, () => 'cut');
    await vi.waitFor(() => expect(held).toBe(1));
    await gateway.close(50);
    expect(await answered).toBe('cut');
    expect(events.filter((event) => event.type === 'attempt-end')).toEqual([expect.objectContaining({ kind: 'aborted' })]);
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ ok: false, code: 'router_closed', endpoint: 'primary' })]);
    expect((await gateway.router.health()).map((entry) => entry.breaker)).toEqual(['closed']);
    // Not the caller's leaving (499).
    expect(lines.map((line) => JSON.parse(line) as { status: number; error: string })).toMatchObject([{ status: 444, error: 'router_closed' }]);
  });

  it('logs a request its grace cuts in a backoff as 444, not the 503 written onto the closed connection (review of attack 22, F1)', async () => {
    let asked = 0;
    const server: Server = createServer((incoming, outgoing) => {
      asked += 1;
      incoming.resume();
      outgoing.writeHead(429, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"error":{"message":"slow down","type":"rate_limit_error"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk-ingress-0000' }], gatewayKeys: ['gk-ingress'] }, {});
    const lines: string[] = [];
    const gateway = await startGateway({ config, accessLog: (line) => lines.push(line) });
    const events: RouterEvent[] = [];
    gateway.router.subscribe((event) => events.push(event));
    const answered = post(gateway, { authorization: 'Bearer gk-ingress', 'content-type': 'application/json' }).then((result) => result.status, () => 'cut');
    await vi.waitFor(() => expect(events.some((event) => event.type === 'retry-wait')).toBe(true));
    await gateway.close(50);
    expect(await answered).toBe('cut');
    expect(asked).toBe(1);
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ code: 'router_closed' })]);
    expect(lines.map((line) => JSON.parse(line) as { status: number; error: string })).toMatchObject([{ status: 444, error: 'router_closed' }]);
  });
});

describe('what the gateway sends upstream and invites', () => {
  it('sends every body upstream as application/json, whatever type the caller named (curl -d names a form)', async () => {
    const { url, seen } = await upstream();
    const gateway = await gatewayFor(url);
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-8']) {
      expect((await post(gateway, { authorization: 'Bearer gk-ingress', 'content-type': type })).status).toBe(200);
    }
    expect((await post(gateway, { authorization: 'Bearer gk-ingress' })).status).toBe(200);
    expect(seen.map((headers) => headers['content-type'])).toEqual(Array(4).fill('application/json'));
  });

  it('answers 401 in place of 100 Continue to a caller without a gateway key, and invites a keyed one', async () => {
    const { url, seen } = await upstream();
    const gateway = await gatewayFor(url);
    const refused = await post(gateway, { authorization: 'Bearer not-the-key', 'content-type': 'application/json', expect: '100-continue' });
    expect(refused).toMatchObject({ status: 401, continued: false });
    const invited = await post(gateway, { 'x-api-key': 'gk-ingress', 'content-type': 'application/json', expect: '100-continue' });
    expect(invited).toMatchObject({ status: 200, continued: true });
    expect(seen).toHaveLength(1);
  });
});

describe('a client whose base URL is wrong', () => {
  it('is told how to fix it: /v1 missing for an OpenAI client, twice for an Anthropic one (in Anthropic’s shape)', async () => {
    const { url } = await upstream();
    const gateway = await gatewayFor(url);
    const missing = await fetch(`${gateway.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-ingress' }, body });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe('Unknown route POST /chat/completions. The gateway\'s routes begin with /v1: end the base URL of an OpenAI client with /v1.');
    const doubled = await fetch(`${gateway.url}/v1/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'gk-ingress', 'anthropic-version': '2023-06-01' }, body });
    expect(doubled.status).toBe(404);
    const answer = await doubled.json();
    expect(answer.type).toBe('error');
    expect(answer.error.message).toContain('The path has /v1 twice');
  });
});
