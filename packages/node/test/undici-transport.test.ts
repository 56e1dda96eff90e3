import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { createUndiciTransport, type UndiciTransport } from '../src/index';
import { agentOptionsSchema } from '../src/schemas';

const upstreams: ChaosUpstream[] = [];
const transports: UndiciTransport[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An upstream that answers every request with `body`, under `Content-Encoding: coding`. */
const compressingUpstream = async (coding: string, body: Uint8Array) => {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
    response.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const readAll = async (body: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
};

describe('the undici transport', () => {
  // A whole, small body cancelled before anyone reads it (a stored-response lookup needs only the status: here
  // testkit's 404 for an unknown response id) used to emit undici's RequestAbortedError, or the reason, with no
  // listener: an uncaught exception that would take a gateway process down.
  it.each([
    ['without a reason', undefined],
    ['with a reason', new Error('not needed')],
  ])('cancels an unread body %s without an unhandled error, and closes it', async (_, reason) => {
    const upstream = await startChaosUpstream({ name: 'holder' });
    upstreams.push(upstream);
    const transport = createUndiciTransport(agentOptionsSchema.parse({}));
    transports.push(transport);
    const unhandled: unknown[] = [];
    let heard: (() => void) | undefined;
    const uncaught = new Promise<void>((resolve) => (heard = resolve));
    const record = (error: unknown) => {
      unhandled.push(error);
      heard?.();
    };
    process.on('uncaughtException', record);
    try {
      const response = await transport(
        { endpoint: 'holder', method: 'GET', url: `${upstream.baseUrl}/responses/resp_unknown`, headers: {}, body: undefined },
        new AbortController().signal,
      );
      expect(response.status).toBe(404);
      // Only 'close' is listened for: an 'error' listener here (as events.once adds) would hide the defect.
      const body = response.body as unknown as NodeJS.ReadableStream;
      const closed = new Promise((resolve) => body.once('close', resolve));
      response.cancel(reason);
      // Node emits a destroyed stream's 'error' just before its 'close'; an unheard one throws instead, and 'close'
      // never comes.
      await Promise.race([closed, uncaught]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});

describe('the undici transport, on header names', () => {
  // Core reads the provider's signals without checking names' case when the transport vouches for it: the vouch
  // must hold for names sent in any case.
  it('vouches that header names are lower case, and they are, however the upstream spelled them', async () => {
    const server = createServer((_, response) => {
      response.writeHead(429, { 'Retry-After': '7', 'X-RateLimit-Remaining-Requests': '0', 'Content-Type': 'application/json' });
      response.end('{}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createUndiciTransport(agentOptionsSchema.parse({}));
    transports.push(transport);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
    const response = await transport({ endpoint: 'shouter', method: 'POST', url, headers: {}, body: '{}' }, new AbortController().signal);
    response.cancel();
    expect(response.headersLowerCase).toBe(true);
    expect(Object.keys(response.headers).filter((name) => name !== name.toLowerCase())).toEqual([]);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.headers['x-ratelimit-remaining-requests']).toBe('0');
  });
});

describe('the undici transport, on a compressed answer', () => {
  const answer = JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { content: 'Hello' } }], usage: { prompt_tokens: 3, completion_tokens: 1 } });
  const send = async (coding: string, body: Uint8Array) => {
    const transport = createUndiciTransport(agentOptionsSchema.parse({}));
    transports.push(transport);
    const url = `${await compressingUpstream(coding, body)}/v1/chat/completions`;
    return transport({ endpoint: 'zipper', method: 'POST', url, headers: {}, body: '{}' }, new AbortController().signal);
  };

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    [' GZIP ', gzipSync],
  ])('decodes %s, which a server may send though Detour never asks for it', async (coding, compress) => {
    const response = await send(coding, compress(answer));
    expect(await readAll(response.body)).toBe(answer);
  });

  it('decodes through the stream reader too', async () => {
    const response = await send('gzip', gzipSync(answer));
    const iterator = response.chunks!();
    const parts: Uint8Array[] = [];
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) parts.push(result.value);
    expect(Buffer.concat(parts).toString('utf8')).toBe(answer);
  });

  it('fails a read, never passing garbage on, when the body is not what its coding says', async () => {
    const response = await send('gzip', new TextEncoder().encode(answer));
    await expect(readAll(response.body)).rejects.toThrow(/header/);
  });

  it('fails the attempt, naming the coding, when it is one Detour cannot decode', async () => {
    await expect(send('zstd', new TextEncoder().encode(answer))).rejects.toThrow('Content-Encoding "zstd"');
  });

  it('cancels a decoded body and the socket under it', async () => {
    const response = await send('gzip', gzipSync(answer));
    response.cancel();
    expect((response.body as unknown as NodeJS.ReadableStream & { destroyed: boolean }).destroyed).toBe(true);
  });
});

/** An upstream answering with `handle`; resolves with its URL. */
const upstreamWith = async (handle: (request: IncomingMessage, response: ServerResponse) => void) => {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
};

const sendTo = (url: string, signal: AbortSignal = new AbortController().signal) => {
  const transport = createUndiciTransport(agentOptionsSchema.parse({}));
  transports.push(transport);
  return transport({ endpoint: 'held', method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{}' }, signal);
};

// The transport dispatches with a handler of its own rather than undici's `request()`: what that one did, this must.
describe('the undici transport, on what its response handler does', () => {
  it('passes repeated fields as a list in the order they came, and skips an interim answer for the final one', async () => {
    const url = await upstreamWith((_, response) => {
      response.writeEarlyHints({ link: '</style.css>; rel=preload' });
      response.setHeader('Set-Cookie', ['a=1', 'b=2']);
      response.setHeader('X-Trace', ['first', 'second']);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    const response = await sendTo(url);
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['x-trace']).toEqual(['first', 'second']);
    expect(response.headers.link).toBeUndefined();
    expect(await readAll(response.body)).toBe('{"ok":true}');
  });

  it('passes a body much larger than its buffer whole to a slow reader, pausing the socket meanwhile', async () => {
    const answer = 'x'.repeat(4 * 1024 * 1024);
    const url = await upstreamWith((_, response) => response.end(answer));
    const response = await sendTo(url);
    const parts: Uint8Array[] = [];
    for await (const part of response.body) {
      parts.push(part);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(Buffer.concat(parts).toString('latin1')).toBe(answer);
  });

  it('rejects with the signal’s reason when it aborts before the headers, and closes the connection', async () => {
    let closed: Promise<unknown> | undefined;
    let arrived: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const url = await upstreamWith((request) => {
      closed = new Promise((resolve) => request.socket.once('close', resolve));
      arrived();
    });
    const controller = new AbortController();
    const sending = sendTo(url, controller.signal);
    await waiting;
    const reason = new Error('the deadline passed');
    controller.abort(reason);
    await expect(sending).rejects.toBe(reason);
    await closed;
  });

  it('fails the body with the signal’s reason when it aborts mid-body, and closes the connection', async () => {
    let closed: Promise<unknown> | undefined;
    const url = await upstreamWith((request, response) => {
      closed = new Promise((resolve) => request.socket.once('close', resolve));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"choices":[]}\n\n');
    });
    const controller = new AbortController();
    const response = await sendTo(url, controller.signal);
    const iterator = response.chunks!();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('data: {"choices":[]}\n\n');
    const reason = new Error('the caller left');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await closed;
  });

  it('fails the body, never ending it cleanly, when the upstream cuts the connection mid-body', async () => {
    let cut: () => void = () => undefined;
    const url = await upstreamWith((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
      cut = () => request.socket.destroy();
    });
    // Cut once the headers are in, so it is the body that breaks, never the attempt.
    const response = await sendTo(url);
    const reading = readAll(response.body);
    cut();
    await expect(reading).rejects.toThrow();
  });

  it('drops a request still queued for a connection when its signal aborts: it rejects, and is never sent', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    let heldArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (heldArrived = resolve));
    const url = await upstreamWith((request, response) => {
      seen.push(request.headers['x-name'] as string);
      if (request.headers['x-name'] !== 'held') {
        response.end('{}');
        return;
      }
      release = () => response.end('{}');
      heldArrived();
    });
    const transport = createUndiciTransport(agentOptionsSchema.parse({ connections: 1 }));
    transports.push(transport);
    const send = (name: string, signal: AbortSignal) =>
      transport({ endpoint: 'one', method: 'POST', url, headers: { 'x-name': name }, body: '{}' }, signal);
    const held = send('held', new AbortController().signal);
    await arrived;
    const controller = new AbortController();
    const queued = send('queued', controller.signal);
    const reason = new Error('the caller left while it waited');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    release();
    await readAll((await held).body);
    // The pool is first in, first out: had the dropped request stayed queued, it would have gone before this one.
    await readAll((await send('after', new AbortController().signal)).body);
    expect(seen).toEqual(['held', 'after']);
  });

  it('rejects at once, sending nothing, when the signal has already aborted', async () => {
    let requests = 0;
    const url = await upstreamWith((_, response) => {
      requests += 1;
      response.end('{}');
    });
    const reason = new Error('gone before it began');
    await expect(sendTo(url, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(requests).toBe(0);
  });

  it('works through a dispatcher the caller passes in (undici’s MockAgent)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://mock.example').intercept({ path: '/v1/chat/completions', method: 'POST' }).reply(429, '{"error":{}}', { headers: { 'Retry-After': '3', 'set-cookie': ['a=1', 'b=2'] } });
    const transport = createUndiciTransport(agentOptionsSchema.parse({}), agent);
    transports.push(transport);
    const response = await transport({ endpoint: 'mock', method: 'POST', url: 'https://mock.example/v1/chat/completions', headers: {}, body: '{}' }, new AbortController().signal);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(await readAll(response.body)).toBe('{"error":{}}');
  });
});
