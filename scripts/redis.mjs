// A throwaway redis-server for tests: a free loopback port, no persistence, a temp dir of its own.
// Used from tests as `import { startRedis } from '../../../../scripts/redis.mjs'`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const host = '127.0.0.1';

/** The path of `redis-server` on PATH (or in the usual places), or undefined. */
const findRedisServer = () => {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  return directories.map((directory) => join(directory, 'redis-server')).find((candidate) => existsSync(candidate));
};

/**
 * Finds redis-server, installing it with apt-get when it is missing and we run as root. Throws a clear error when it
 * still cannot be found: tests that need Redis must fail, not skip, on a machine without it.
 */
export const ensureRedisServer = () => {
  let found = findRedisServer();
  if (!found && process.getuid?.() === 0) {
    spawnSync('sh', ['-c', 'apt-get update && apt-get install -y redis-server'], { stdio: 'ignore' });
    found = findRedisServer();
  }
  if (!found) {
    throw new Error('redis-server was not found and could not be installed; install it (apt-get install -y redis-server) to run these tests');
  }
  return found;
};

/** A port the kernel says is free on loopback right now. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Sends one inline command and resolves with the first reply line, or rejects when nothing listens. */
const command = (port, line) =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.split('\r\n')[0]);
      }
    });
    // SHUTDOWN closes the connection without a reply.
    socket.on('close', () => resolve(reply));
    socket.write(`${line}\r\n`);
  });

/** Polls `check` every 20 ms until it is true, up to `timeoutMs`: waiting for a process, not for time. */
const until = async (check, what, timeoutMs = 10_000) => {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`redis-server did not ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const answersPing = (port) => command(port, 'PING').then((reply) => reply === '+PONG', () => false);

/**
 * Starts redis-server on a free loopback port, without persistence, and waits until it answers PING.
 * @returns `{ url, port, stop(), start() }`: `stop` shuts it down (nosave) and waits until the port is closed;
 * `start` starts it again on the same port, empty, for "Redis comes back" tests. With `{ cluster: true }` it runs in
 * cluster mode (one node; the caller assigns the slots), so Redis itself refuses keys of different slots (CROSSSLOT).
 */
export const startRedis = async ({ cluster = false } = {}) => {
  const binary = ensureRedisServer();
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'detour-redis-'));
  let running = false;

  const start = async () => {
    if (running) return;
    execFileSync(binary, [
      '--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
      '--dir', directory, '--pidfile', join(directory, 'redis.pid'), '--logfile', join(directory, 'redis.log'),
      ...(cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(directory, 'nodes.conf')] : []),
    ]);
    running = true;
    await until(() => answersPing(port), 'answer PING');
  };

  const stop = async () => {
    if (!running) return;
    running = false;
    await command(port, 'SHUTDOWN NOSAVE').catch(() => undefined);
    await until(async () => !(await answersPing(port)), 'stop');
  };

  await start();
  return {
    url: `redis://${host}:${port}`,
    port,
    start,
    stop,
    /** Stops the server and removes its directory. */
    async close() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};
