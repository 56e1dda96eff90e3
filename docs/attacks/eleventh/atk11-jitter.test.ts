import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../test/redis-server';
import { createRedisStore } from './redis-store';

const redis = useRedisServer();
const { cleanups } = redis;

/** A TCP proxy that delays every chunk from Redis by `delay()` ms, keeping order. */
const latencyProxy = async (port: number, delay: () => number) => {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client); sockets.add(upstream);
    let last = 0;
    upstream.on('data', (chunk) => {
      const at = Math.max(Date.now() + delay(), last);
      last = at;
      setTimeout(() => { if (!client.destroyed) client.write(chunk); }, at - Date.now());
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as { port: number };
  return { url: `redis://127.0.0.1:${proxyPort}`, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
};

describe('atk11 jitter', () => {
  it('L: Redis answering in 100-260 ms (around the 200 ms timeout): outage lines over 15 s', async () => {
    const proxy = await latencyProxy(redis.server.port, () => 100 + Math.random() * 160);
    cleanups.push(async () => proxy.close());
    const log = vi.fn();
    const store = createRedisStore({ url: proxy.url, prefix: 'jit:', refreshMs: 1000, log });
    cleanups.push(() => store.close());
    await store.ready;
    let n = 0;
    const writes = setInterval(() => { n += 1; store.coolDown(`ep-${n % 5}`, Date.now() + 2000, undefined, 'rate limited'); }, 200);
    cleanups.push(async () => clearInterval(writes));
    const samples: number[] = [];
    for (let s = 0; s < 15; s += 1) { await new Promise((r) => setTimeout(r, 1000)); samples.push(log.mock.calls.length); }
    clearInterval(writes);
    console.log(`L cumulative outage lines per second: ${JSON.stringify(samples)}; first: ${String(log.mock.calls[0]?.[0]).slice(0, 90)}`);
    expect(log.mock.calls.length).toBeLessThanOrEqual(2);
  }, 30_000);
});
