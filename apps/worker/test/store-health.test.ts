import { createConnection } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';
import { startRedis, type RedisServer } from './state/redis-server';

// /healthz of a gateway whose Redis refuses its password: the store runs each instance on its own state, for good.

let redis: RedisServer;
const password = 'redis-pass-0123456789abcdef';
const cleanups: (() => Promise<void>)[] = [];

/** Sends inline commands to the server and resolves with its replies (one line each). */
const say = (lines: string[]) =>
  new Promise<string[]>((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port: redis.port });
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const replies = reply.split('\r\n').filter(Boolean);
      if (replies.length >= lines.length) {
        socket.end();
        resolve(replies);
      }
    });
    socket.write(lines.map((line) => `${line}\r\n`).join(''));
  });

beforeAll(async () => {
  redis = await startRedis();
  await say([`CONFIG SET requirepass ${password}`]);
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(async () => {
  // The helper stops the server with a SHUTDOWN that carries no password.
  await say([`AUTH ${password}`, "CONFIG SET requirepass ''"]);
  await redis.close();
});

const gatewayWith = async (url: string): Promise<RunningGateway> => {
  const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: 'https://primary.example/v1' }], gatewayKeys: ['gk-test'], store: { redis: url } }, {});
  const gateway = await startGateway({ config });
  cleanups.push(() => gateway.close(0));
  return gateway;
};

const health = async (gateway: RunningGateway) => {
  const response = await fetch(`${gateway.url}/healthz`);
  return { status: response.status, text: await response.text() };
};

describe('/healthz and a Redis that refuses the store', () => {
  it.each([
    ['a wrong password', () => redis.url.replace('redis://', 'redis://:wrong-pass-0123456789@'), /WRONGPASS/],
    ['no password', () => redis.url, /NOAUTH/],
  ])('%s: 503, saying why, without the password or the URL', async (_, url, refusal) => {
    const { status, text } = await health(await gatewayWith(url()));
    expect(status).toBe(503);
    const body = JSON.parse(text) as { status: string; store: { status: string; reason: string } };
    expect(body.status).toBe('unavailable');
    expect(body.store).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(refusal) });
    expect(body.store.reason).toContain(`127.0.0.1:${redis.port}`);
    for (const secret of [password, 'wrong-pass-0123456789', url()]) expect(text).not.toContain(secret);
  });

  it('the right password: 200, the store ok', async () => {
    const { status, text } = await health(await gatewayWith(redis.url.replace('redis://', `redis://:${password}@`)));
    expect(status).toBe(200);
    // With the prefix its fleet shares state under: a member with another shares nothing (attack 19, F6).
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', store: { status: 'ok', reason: null, prefix: 'detour:' } });
    expect(text).not.toContain(password);
  });
});
