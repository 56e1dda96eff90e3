import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@detour/core/store';
import type { StateStore } from '@detour/core';
import { createFetch, createRouter, type RouterEvent } from '../src/index';

// Attack 18b: the router's lifecycle as applications misuse it.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

const answer = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });

/** An upstream answering every request; `streamFor` ms of a slow stream when the body asks for one. */
const upstream = async () => {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (!body.includes('"stream":true')) return void response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent < 10) return void response.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `${sent} ` }, finish_reason: null }] })}\n\n`);
        clearInterval(timer);
        response.end(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      }, 50);
      response.on('close', () => clearInterval(timer));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests: () => requests };
};

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) };

describe('a router after close()', () => {
  it('refuses requests at once with router_closed, touching no endpoint, breaker or store', async () => {
    const a = await upstream();
    const b = await upstream();
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: a.baseUrl }, { name: 'b', baseUrl: b.baseUrl }] });
    expect((await router.send(chat)).status).toBe(200);
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    await router.close();
    for (let index = 0; index < 5; index += 1) await expect(router.send(chat)).rejects.toMatchObject({ code: 'router_closed', name: 'RouterClosedError' });
    expect(events).toEqual([]);
    expect(a.requests() + b.requests()).toBe(1);
    expect((await router.health()).map(({ breaker, available }) => [breaker, available])).toEqual([['closed', true], ['closed', true]]);
  });

  it('answers a fetch made on it with 503 router_closed, and takes close() again without rejecting', async () => {
    const a = await upstream();
    const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: a.baseUrl }] });
    await Promise.all([fetch.router.close(), fetch.router.close()]);
    await fetch.router.close();
    const refused = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: chat.body });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-detour-error')).toBe('router_closed');
    expect(a.requests()).toBe(0);
  });

  it('tells the fleet the quota spend still waiting for its exchange before it resolves (attack 19, F3)', async () => {
    const a = await upstream();
    const shared = createMemoryStore();
    let reported = 0;
    const store: StateStore = {
      ...shared,
      exchangeQuota: async (report, now) => {
        reported += report.reduce((sum, share) => sum + (share.spent.requests ?? 0), 0);
        return shared.exchangeQuota!(report, now);
      },
    };
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: a.baseUrl, limits: { rpm: 100 } }], admission: { fleetSyncMs: 60_000 }, store });
    for (let index = 0; index < 5; index += 1) expect((await router.send(chat)).status).toBe(200);
    // The first exchange went out before the first request was reserved; the rest wait a minute for the next one.
    expect(reported).toBe(0);
    await router.close();
    expect(reported).toBe(5);
  });

  it('lets a stream in flight finish, then closes', async () => {
    const a = await upstream();
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: a.baseUrl }] });
    const result = await router.send({ ...chat, body: JSON.stringify({ model: 'gpt-4.1', messages: [], stream: true }) });
    const closed = router.close();
    let text = '';
    for await (const chunk of result.stream!) text += new TextDecoder().decode(chunk);
    await closed;
    expect(text).toContain('data: [DONE]');
  });
});

/** A router with one request in flight on an upstream that takes requests and never answers. */
const waitingOnSilence = async () => {
  const server = createServer(() => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const router = createRouter({ endpoints: [{ name: 'silent', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` }] });
  const waiting = router.send(chat).then(() => 'answered', (error: { code?: string }) => error.code);
  await new Promise((resolve) => server.once('request', resolve));
  return { router, waiting };
};

describe('close() with a bound', () => {
  it('resolves only once a request it cut has settled, so a store closed after it hears every outcome (attack 19, F2)', async () => {
    // The gateway closed its store beside the router: a half-open probe cut at the drain gave its slot back to a
    // closed store, and the fleet waited out probeTimeoutMs before probing the endpoint again.
    const { router, waiting } = await waitingOnSilence();
    let settled = false;
    void waiting.then(() => (settled = true));
    await router.close({ graceMs: 0 });
    expect(settled).toBe(true);
  });

  it('cuts a request on an endpoint that never answers once graceMs has passed, and refuses a bound that is none', async () => {
    const { router, waiting } = await waitingOnSilence();
    await expect(router.close({ graceMs: -1 })).rejects.toMatchObject({ code: 'invalid_options', message: expect.stringContaining('graceMs') });
    await expect(router.close({ graceMs: Number.NaN })).rejects.toMatchObject({ code: 'invalid_options' });
    // Still open after a refused bound.
    expect(await Promise.race([waiting, new Promise((resolve) => setImmediate(() => resolve('in flight')))])).toBe('in flight');
    await router.close({ graceMs: 50 });
    expect(await waiting).not.toBe('answered');
    await expect(router.send(chat)).rejects.toMatchObject({ code: 'router_closed' });
  });
});

describe('close() and a request between attempts', () => {
  it.each([undefined, 5_000])('lets a request that fails over during close() (graceMs %s) reach its backup, then closes', async (graceMs) => {
    // `a` answers 503 a little after the close begins: the request is then between attempts, holding no connection.
    let release: () => void = () => undefined;
    const failing = createServer((request, response) => {
      request.resume();
      new Promise<void>((resolve) => (release = resolve)).then(() => response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}'));
    });
    servers.push(failing);
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const b = await upstream();
    const router = createRouter({
      endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/v1` }, { name: 'b', baseUrl: b.baseUrl, priority: 1 }],
    });
    const sent = router.send(chat);
    await new Promise((resolve) => failing.once('request', resolve));
    let closed = false;
    const closing = router.close(graceMs === undefined ? undefined : { graceMs }).then(() => (closed = true));
    release();
    const result = await sent;
    expect(result.status).toBe(200);
    expect(result.endpoint).toBe('b');
    await closing;
    expect(closed).toBe(true);
  });

  it('cuts a close() that waits for a hung upstream when a later call gives a bound', async () => {
    const { router, waiting } = await waitingOnSilence();
    const first = router.close();
    const second = router.close({ graceMs: 0 });
    expect(second).toBe(first);
    await first;
    expect(await waiting).toBe('router_closed');
  });
});

describe('close() with a bound, and what its cut is recorded as', () => {
  it('records what the cut ends as the shutdown: a waiting request router_closed, a stream shutdown, neither the endpoints’ failure', async () => {
    // Before: the destroyed pool's error was each endpoint's network failure and interrupted stream (breaker samples
    // and latency penalties, through a shared store in the whole fleet), and the cut stream was "rescued" onto the
    // destroyed pool after a two-second backoff.
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const streaming = await upstream();
    const router = createRouter({
      endpoints: [
        { name: 'silent', models: ['j'], baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1` },
        { name: 'streaming', models: ['s'], baseUrl: streaming.baseUrl, continuation: 'vllm' },
        { name: 'spare', models: ['s'], baseUrl: streaming.baseUrl, continuation: 'vllm', priority: 1 },
      ],
      breaker: { consecutiveFailures: 1 },
    });
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    const waiting = router.send({ ...chat, body: JSON.stringify({ model: 'j', messages: [] }) }).then(() => 'answered', (error: { code?: string }) => error.code);
    await new Promise((resolve) => silent.once('request', resolve));
    const stream = (await router.send({ ...chat, body: JSON.stringify({ model: 's', messages: [], stream: true }) })).stream!;
    await stream.next();
    const read = (async () => {
      try {
        for await (const _ of stream);
        return 'clean';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    })();
    await router.close({ graceMs: 0 });
    expect(await waiting).toBe('router_closed');
    // A cut, never a clean end; and not rescued onto the spare.
    expect(await read).toBe('stream_interrupted');
    expect(events.filter((event) => event.type === 'stream-rescue')).toEqual([]);
    expect(events.filter((event) => event.type === 'stream-end')).toEqual([expect.objectContaining({ endpoint: 'streaming', outcome: 'shutdown' })]);
    expect(events.filter((event) => event.type === 'request-end').map((event) => event.code)).toEqual(['router_closed', 'router_closed']);
    expect(events.filter((event) => event.type === 'attempt-end' && event.kind !== 'success' && event.kind !== 'aborted')).toEqual([]);
    expect((await router.health()).map((entry) => entry.breaker)).toEqual(['closed', 'closed', 'closed']);
  });
});

describe('one signal for the app’s life', () => {
  it('is shared by thirty streams at once without a false MaxListenersExceededWarning, and keeps no listener after', async () => {
    const a = await upstream();
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: a.baseUrl }] });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const shared = new AbortController();
      const streams = await Promise.all(
        Array.from({ length: 30 }, () => router.send({ ...chat, body: JSON.stringify({ model: 'gpt-4.1', messages: [], stream: true }), signal: shared.signal })),
      );
      await Promise.all(streams.map(async (result) => {
        for await (const _ of result.stream!);
      }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    } finally {
      process.off('warning', onWarning);
      await router.close();
    }
  });
});

describe('a script that leaves a stream unread', () => {
  it('exits once the upstream is done, not after the stream’s idle bound (300 s)', async () => {
    const a = await upstream();
    const folder = mkdtempSync(join(tmpdir(), 'detour-exit-'));
    const script = join(folder, 'script.mjs');
    writeFileSync(
      script,
      `import { createFetch } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href)};
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: ${JSON.stringify(a.baseUrl)} }] });
const response = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'gpt-4.1', messages: [], stream: true }) });
const reader = response.body.getReader();
await reader.read();
console.log('read one chunk, leaving the rest');
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The test's own time limit (30 s) is a tenth of the idle bound the process waited out before.
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toContain('read one chunk');
    expect(code).toBe(0);
  }, 30_000);
});

describe('close() with a bound, and the fleet told (the review of attack 19)', () => {
  it('resolves at its bound though a stream its caller holds is unread, and tells the store after the cut', async () => {
    // The flush waited for every request to settle: close({ graceMs: 0 }) with a stream held unread never resolved.
    const a = await upstream();
    const shared = createMemoryStore();
    let exchanges = 0;
    const store: StateStore = { ...shared, exchangeQuota: async (report, now) => ((exchanges += 1), shared.exchangeQuota!(report, now)) };
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: a.baseUrl, limits: { rpm: 100 } }], admission: { fleetSyncMs: 60_000 }, store });
    const held = await router.send({ ...chat, body: JSON.stringify({ model: 'gpt-4.1', messages: [], stream: true }) });
    expect(held.stream).toBeDefined();
    const before = exchanges;
    await router.close({ graceMs: 0 });
    expect(exchanges).toBe(before + 1);
  });
});
