import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from './redis-server';

// Two Node processes, each with its own createFetch and createRedisStore, share one real redis-server: what one
// process learns from a 429 reaches the other through pub/sub. The processes load this package's build (dist).

interface FleetProcess {
  ask(command: string): Promise<Record<string, unknown>>;
  readonly child: ChildProcessWithoutNullStreams;
}

const startProcess = async (config: Record<string, string>): Promise<FleetProcess> => {
  const child = spawn(process.execPath, [new URL('./fetch-process.mjs', import.meta.url).pathname, JSON.stringify(config)], {
    cwd: new URL('.', import.meta.url).pathname,
  });
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push((line) => resolve(JSON.parse(line))));
  expect(await next()).toEqual({ ready: true });
  return {
    child,
    ask: (command) => {
      const answer = next();
      child.stdin.write(`${command}\n`);
      return answer;
    },
  };
};

let server: RedisServer;
let primary: ChaosUpstream;
let backup: ChaosUpstream;
const processes: FleetProcess[] = [];

beforeAll(async () => {
  server = await startRedis();
  primary = await startChaosUpstream({
    name: 'primary',
    script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }],
  });
  backup = await startChaosUpstream({ name: 'backup' });
});
afterAll(async () => {
  await Promise.all(processes.map(async (fleetProcess) => fleetProcess.ask('close').catch(() => fleetProcess.child.kill())));
  await Promise.all([primary.close(), backup.close()]);
  await server.close();
});

describe('createFetch with createRedisStore in two Node processes', () => {
  it('sends process B straight to the backup once process A met a 429 with Retry-After on the primary', async () => {
    const config = { redisUrl: server.url, prefix: 'two-process:', primary: primary.baseUrl, backup: backup.baseUrl };
    const [first, second] = await Promise.all([startProcess(config), startProcess(config)]);
    if (!first || !second) throw new Error('a process did not start');
    processes.push(first, second);

    // A: the primary answers 429 with Retry-After, so A's attempt fails over to the backup.
    expect(await first.ask('send')).toMatchObject({ status: 200 });
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().total).toBe(1);

    // B learns of the cooldown through pub/sub: poll its local view, with a bound, instead of sleeping.
    const deadline = Date.now() + 5000;
    let state = await second.ask('state');
    while ((state.availableFrom as number) <= (state.now as number) && Date.now() < deadline) state = await second.ask('state');
    expect(state.availableFrom as number).toBeGreaterThan(state.now as number);

    // B's next request goes straight to the backup: the primary sees nothing more.
    expect(await second.ask('send')).toMatchObject({ status: 200 });
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().total).toBe(2);
  });
});
