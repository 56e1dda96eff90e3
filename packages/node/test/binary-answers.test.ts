import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

// Attack 20, M2: a binary answer (speech audio, a file's bytes) is relayed as it arrives, through the real openai SDK
// and real sockets. Read whole, speech reached the caller after its last byte, and a file over maxResponseBytes failed.
const servers: Server[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An upstream on 127.0.0.1 that answers every request with `answer`, given the response to write to. */
const upstream = async (answer: (response: ServerResponse) => void) => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
};

const client = (baseUrl: string, options: Record<string, unknown> = {}) => {
  const detourFetch = createFetch({ endpoints: [{ name: 'audio', baseUrl, apiKey: 'sk-audio-0123456789' }], ...options });
  fetches.push(detourFetch);
  return new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 });
};

const bytes = (size: number, seed: number) => Buffer.from(new Uint8Array(size).map((_, index) => (index * seed) % 256));

describe('binary answers through createFetch', () => {
  it('gives the caller speech audio as it is generated: the first bytes before the upstream has sent the rest', async () => {
    const first = bytes(64 * 1024, 7);
    const rest = bytes(200 * 1024, 13);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const baseUrl = await upstream((response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' });
      response.write(first);
      // The rest comes only once the caller has read the first bytes: read whole, the answer would never arrive.
      void released.then(() => response.end(rest));
    });
    const speech = await client(baseUrl).audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello' });
    expect(speech.headers.get('content-type')).toBe('audio/mpeg');
    const reader = speech.body!.getReader();
    const received: Uint8Array[] = [];
    let size = 0;
    while (size < first.length) {
      const { value } = await reader.read();
      received.push(value!);
      size += value!.length;
    }
    release();
    for (let read = await reader.read(); !read.done; read = await reader.read()) received.push(read.value);
    expect(Buffer.concat(received).equals(Buffer.concat([first, rest]))).toBe(true);
  });

  it('relays a file larger than maxResponseBytes, byte for byte', async () => {
    const file = bytes(3 * 1024 * 1024, 31);
    const baseUrl = await upstream((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.length) });
      response.end(file);
    });
    const content = await client(baseUrl, { maxResponseBytes: 1024 * 1024 }).files.content('file-1');
    expect(Buffer.from(await content.arrayBuffer()).equals(file)).toBe(true);
  });

  it('fails the caller\'s read of a body the upstream cut, never ending it cleanly', async () => {
    const baseUrl = await upstream((response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024) });
      response.write(bytes(64 * 1024, 3), () => response.destroy());
    });
    const content = await client(baseUrl).files.content('file-1');
    await expect(content.arrayBuffer()).rejects.toThrow();
  });
});
