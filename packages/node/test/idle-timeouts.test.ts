import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter, type NodeRouter, type RouterEvent } from '../src/index';

// Issue 12, defects 7 and 8, over real sockets: the idle timeouts must release undici's connection, not only core's
// bookkeeping. Each upstream records when its request's socket closes.

const servers: Server[] = [];
const routers: NodeRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

const upstream = async (handle: (request: IncomingMessage, response: ServerResponse) => void) => {
  const closed: number[] = [];
  const server = createServer((request, response) => {
    request.resume();
    response.on('close', () => closed.push(Date.now()));
    handle(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, closed };
};

const answer = JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'backup' }, finish_reason: 'stop' }] });
const chat = (extra: Record<string, unknown> = {}) => ({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [], ...extra }) });

describe('idle timeouts on the Node binding', () => {
  it('fails over a JSON answer whose body never comes, and closes its socket', async () => {
    const stalled = await upstream((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders(); // headers, then nothing
    });
    const backup = await upstream((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    const router = createRouter({
      endpoints: [{ name: 'stalled', baseUrl: stalled.baseUrl }, { name: 'backup', baseUrl: backup.baseUrl, priority: 1 }],
      bodyIdleTimeoutMs: 200,
    });
    routers.push(router);
    const startedAt = Date.now();
    const result = await router.send(chat());
    expect(result.endpoint).toBe('backup');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'stalled', kind: 'timeout' });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await vi.waitFor(() => expect(stalled.closed).toHaveLength(1));
  });

  it('releases the socket, the pending count and the request of a stream nobody reads', async () => {
    const streaming = await upstream((_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n');
      // …and more would follow, but nobody reads.
    });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: streaming.baseUrl }], streamIdleTimeoutMs: 200 });
    routers.push(router);
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    await router.send(chat({ stream: true })); // the stream is dropped unread
    expect((await router.health())[0]!.pending).toBe(1);
    await vi.waitFor(() => expect(streaming.closed).toHaveLength(1));
    expect((await router.health())[0]!.pending).toBe(0);
    expect(events.filter((event) => event.type === 'request-end')).toEqual([expect.objectContaining({ code: 'client_idle' })]);
  });

  it('cuts a stream that stalls after its first event and closes its socket (rescue off)', async () => {
    const streaming = await upstream((_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n');
    });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: streaming.baseUrl }], streamIdleTimeoutMs: 200, rescue: 'off' });
    routers.push(router);
    const result = await router.send(chat({ stream: true }));
    const read = async () => {
      for await (const chunk of result.stream!) void chunk;
    };
    await expect(read()).rejects.toThrow(/stalled/);
    await vi.waitFor(() => expect(streaming.closed).toHaveLength(1));
  });
});
