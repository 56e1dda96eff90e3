import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChaosUpstream, type ChaosUpstream, type FaultRule, type RateLimitDialect } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, script: FaultRule[] = [], extra = {}) => {
  const started = await startChaosUpstream({ name, script, ...extra });
  upstreams.push(started);
  return started;
};

const gatewayFor = async (targets: ChaosUpstream[], router: Record<string, unknown> = {}) => {
  const config = loadConfig(
    {
      endpoints: targets.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-upstream-${target.name}`, priority: index })),
      gatewayKeys: ['gk-e2e'],
      router,
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return { gateway, openai: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-e2e', maxRetries: 0 }) };
};

const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Say hello' }] };
const dialects: RateLimitDialect[] = ['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini'];

describe('the gateway on Node, driven by the official openai SDK', () => {
  it.each(dialects)('fails over a %s-dialect 429 to the backup and keeps the primary cooling', async (dialect) => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect, retryAfterMs: 15_000 } }]);
    const backup = await upstream('backup');
    const { openai } = await gatewayFor([primary, backup]);
    const { data, response } = await openai.chat.completions.create(ask).withResponse();
    expect(data.choices[0]?.message.content).toContain('backup');
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
    expect(Number(response.headers.get('x-detour-cost-usd'))).toBeGreaterThan(0);
    await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(1);
    expect(primary.stats().requests[0]?.authorization).toBe('Bearer sk-upstream-primary');
  });

  it('cools an overloaded (503) endpoint briefly instead of hammering it', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 503 } }]);
    const backup = await upstream('backup');
    const { openai } = await gatewayFor([primary, backup]);
    for (let index = 0; index < 5; index += 1) await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(1);
  });

  it('never retries insufficient_quota on the same endpoint', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'insufficient-quota' } }]);
    const backup = await upstream('backup');
    const { openai } = await gatewayFor([primary, backup]);
    for (let index = 0; index < 4; index += 1) await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(1);
  });

  it('rides out a 500 storm: the breaker opens and the backup serves everything', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 500 } }]);
    const backup = await upstream('backup');
    const { openai, gateway } = await gatewayFor([primary, backup], { breaker: { consecutiveFailures: 3 } });
    for (let index = 0; index < 8; index += 1) await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBeLessThanOrEqual(3);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_breaker_state{endpoint="primary"} 1');
  });

  it('fails over a stream cut before its first chunk', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'reset' } }]);
    const backup = await upstream('backup');
    const { openai } = await gatewayFor([primary, backup]);
    const stream = await openai.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('backup');
  });

  it("sends a stream's headers whole, the upstream's and Detour's, and then its events", async () => {
    const primary = await upstream('primary');
    const { gateway } = await gatewayFor([primary]);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer gk-e2e', 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-detour-endpoint')).toBe('primary');
    expect(response.headers.get('x-detour-model')).toBe('gpt-4.1');
    expect(response.headers.get('x-detour-attempts')).toBe('1');
    const body = await response.text();
    expect(body.startsWith('data: {')).toBe(true);
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('prices a stream the caller did not ask usage for, without showing it the extra usage chunk', async () => {
    const primary = await upstream('primary');
    const { openai, gateway } = await gatewayFor([primary]);
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && !chunk.usage)).toBe(true);
    expect((primary.stats().requests[0]?.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/detour_cost_usd_total\{endpoint="primary",model="gpt-4.1",outcome="success",api="chat"\} [0-9.e-]+/);
  });

  it('makes the SDK\'s stream iterator throw when a stream is cut after its first chunk', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }]);
    const { openai } = await gatewayFor([primary]);
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
  });

  it('answers a fast 503 with Retry-After when every endpoint is down', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 500 } }]);
    const backup = await upstream('backup', [{ fault: { type: 'reset' } }]);
    const { openai } = await gatewayFor([primary, backup], { breaker: { consecutiveFailures: 1, openMs: 30_000 }, maxAttempts: 2 });
    const first = (await openai.chat.completions.create(ask).catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>;
    expect(first.status).toBe(502); // every attempt failed; the last one at the network level
    const second = (await openai.chat.completions.create(ask).catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>;
    expect(second.status).toBe(503);
    expect(Number(second.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(primary.stats().total + backup.stats().total).toBe(2);
  });

  it('cancels the upstream when the caller disconnects mid-stream', async () => {
    const primary = await upstream('primary', [], { chunkDelayMs: 50, completionTokens: 200 });
    const { openai } = await gatewayFor([primary]);
    const controller = new AbortController();
    const stream = await openai.chat.completions.create({ ...ask, stream: true }, { signal: controller.signal });
    const read = async () => {
      for await (const chunk of stream) {
        void chunk;
        controller.abort();
      }
    };
    await read().catch(() => undefined);
    await vi.waitFor(() => expect(primary.stats().requests[0]?.clientClosedAt).toBeDefined());
  });

  it('refuses callers without the gateway key', async () => {
    const primary = await upstream('primary');
    const { gateway } = await gatewayFor([primary]);
    const intruder = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-guess', maxRetries: 0 });
    await expect(intruder.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(primary.stats().total).toBe(0);
  });
});

describe('detour-gateway, the command', () => {
  it('prints its URL, and on SIGTERM lets an in-flight stream finish, then exits 0', async () => {
    const primary = await upstream('primary', [], { chunkDelayMs: 40, completionTokens: 12 });
    const folder = mkdtempSync(join(tmpdir(), 'detour-gateway-'));
    const configPath = join(folder, 'detour.json');
    writeFileSync(configPath, JSON.stringify({ endpoints: [{ name: 'primary', baseUrl: primary.baseUrl }], gatewayKeys: [{ env: 'GATEWAY_KEY' }], shutdownGraceMs: 10_000 }));
    const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/cli.js'), '--config', configPath, '--port', '0'], {
      env: { ...process.env, GATEWAY_KEY: 'gk-cli' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(() => expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/), { timeout: 10_000 });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;

    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'gk-cli', maxRetries: 0 });
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    child.kill('SIGTERM');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('primary');
    expect(await exited).toBe(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('drains and exits 0 on %s sent the moment it prints its URL', async (signal) => {
    // A supervisor may stop the gateway as soon as it announces itself; the signal used to find no handler yet.
    const folder = mkdtempSync(join(tmpdir(), 'detour-gateway-'));
    const configPath = join(folder, 'detour.json');
    writeFileSync(configPath, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], allowUnauthenticated: true }));
    for (let round = 0; round < 3; round += 1) {
      const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/cli.js'), '--config', configPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, killedBy) => resolve([code, killedBy])));
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening on')) child.kill(signal);
      });
      expect(await exited).toEqual([0, null]);
    }
  });

  /** Starts the command on a config of one upstream; resolves once it prints its URL. */
  const command = async (baseUrl: string, flags: string[] = [], grace = 10_000) => {
    const folder = mkdtempSync(join(tmpdir(), 'detour-gateway-'));
    const configPath = join(folder, 'detour.json');
    writeFileSync(configPath, JSON.stringify({ endpoints: [{ name: 'primary', baseUrl }], gatewayKeys: [{ env: 'GATEWAY_KEY' }], shutdownGraceMs: grace }));
    const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/cli.js'), '--config', configPath, '--port', '0', ...flags], {
      env: { ...process.env, GATEWAY_KEY: 'gk-cli' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, killedBy) => resolve([code, killedBy])));
    let output = '';
    let errors = '';
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) resolve(found[1]!);
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    return { child, url, exited, output: () => output, errors: () => errors };
  };

  it('keeps serving when its access log’s reader goes away (EPIPE), says so once, counts what it drops, and exits 0', async () => {
    const primary = await upstream('primary');
    const gateway = await command(primary.baseUrl, ['--access-log']);
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-cli', maxRetries: 0 });
    await openai.chat.completions.create(ask);
    await vi.waitFor(() => expect(gateway.output()).toContain('"route":"/v1/chat/completions"'));
    // The log's reader exits: every later write to stdout fails with EPIPE, which killed the gateway at once.
    gateway.child.stdout.destroy();
    for (let index = 0; index < 5; index += 1) expect((await openai.chat.completions.create(ask)).choices[0]?.message.content).toContain('primary');
    await vi.waitFor(() => expect(gateway.errors()).toMatch(/access log: writing to stdout failed \(EPIPE\); no more lines are written/));
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(Number(/^detour_access_log_dropped_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual([0, null]);
  });

  it('lets a stream finish through a second SIGTERM, a SIGINT after SIGTERM and a SIGHUP, where each killed it', async () => {
    const primary = await upstream('primary', [], { chunkDelayMs: 40, completionTokens: 12 });
    for (const signals of [['SIGTERM', 'SIGTERM'], ['SIGTERM', 'SIGINT'], ['SIGHUP']] as const) {
      const gateway = await command(primary.baseUrl);
      const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-cli', maxRetries: 0 });
      const chunks = (await openai.chat.completions.create({ ...ask, stream: true }))[Symbol.asyncIterator]();
      let text = '';
      const read = async () => {
        const next = await chunks.next();
        if (!next.done) text += next.value.choices[0]?.delta.content ?? '';
        return !next.done;
      };
      await read();
      gateway.child.kill(signals[0]);
      await vi.waitFor(() => expect(gateway.output()).toContain(`${signals[0]}: draining`));
      if (signals[1]) {
        gateway.child.kill(signals[1]);
        await vi.waitFor(() => expect(gateway.output()).toContain(`${signals[1]}: already draining`));
      }
      while (await read());
      expect(text).toContain('primary');
      // SIGHUP exits 129 once drained: a supervisor that restarts on failure starts it again (attack 19, F5).
      expect(await gateway.exited).toEqual([signals[0] === 'SIGHUP' ? 129 : 0, null]);
      expect(gateway.output()).toContain(`${signals[0]}: draining in-flight requests`);
    }
  });

  it('stops at once on a second SIGINT (Ctrl-C twice), exiting 130', async () => {
    const primary = await upstream('primary', [], { chunkDelayMs: 200, completionTokens: 50 });
    const gateway = await command(primary.baseUrl);
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-cli', maxRetries: 0 });
    const chunks = (await openai.chat.completions.create({ ...ask, stream: true }))[Symbol.asyncIterator]();
    await chunks.next();
    gateway.child.kill('SIGINT');
    await vi.waitFor(() => expect(gateway.output()).toContain('SIGINT: draining'));
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toEqual([130, null]);
    expect(gateway.output()).toContain('SIGINT again: stopping now');
  });

  it('exits non-zero with a message naming the bad field', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'detour-gateway-'));
    const configPath = join(folder, 'bad.json');
    writeFileSync(configPath, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', weight: 0 }], gatewayKeys: ['k'] }));
    const child = spawn(process.execPath, [join(import.meta.dirname, '../dist/cli.js'), '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/endpoints\[0\]\.weight/);
  });
});
