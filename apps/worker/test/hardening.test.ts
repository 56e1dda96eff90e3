import { maxModelCooldowns } from '@detour/core';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Issue 12, "hardening found by attacking the gateway": each defect, reproduced over real sockets against testkit
// upstreams.

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

// Characters that every encoding spells differently: `/`, `+` and `=` are percent-encoded, all are \u-escapable.
const key = 'sk-live/Abc+123=xyz_0123456789';

const upstream = async (name: string, script: FaultRule[] = [], extra = {}) => {
  const started = await startChaosUpstream({ name, script, ...extra });
  upstreams.push(started);
  return started;
};

const gatewayFor = async (targets: ChaosUpstream[], extra: Record<string, unknown> = {}) => {
  const config = loadConfig(
    { endpoints: targets.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: key, priority: index })), gatewayKeys: ['gk-hard'], ...extra },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return gateway;
};

const chat = (gateway: RunningGateway, body: unknown = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST', body: JSON.stringify(body), headers: { authorization: 'Bearer gk-hard', 'content-type': 'application/json' },
  });

const unicodeEscaped = (text: string) => [...text].map((character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

describe('defect 1: upstream keys never leave the gateway, in any encoding', () => {
  it('keeps a key an upstream put in its error code out of /healthz and the relayed error', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down', code: `key_${key}_rejected` } } } }]);
    const gateway = await gatewayFor([primary]);
    const relayed = await (await chat(gateway)).text();
    const health = await (await fetch(`${gateway.url}/healthz`)).text();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(relayed + health + metrics).not.toContain(key);
    expect(JSON.parse(health).endpoints[0].reason).toContain('[redacted]');
  });

  it.each([
    ['raw', key],
    ['URL-encoded', encodeURIComponent(key)],
    ['JSON \\u-escaped', unicodeEscaped(key)],
    ['base64-encoded', Buffer.from(`Basic user:${key}`).toString('base64')],
  ])('scrubs a %s key from relayed error text', async (_, spelled) => {
    // Written as raw JSON text so the escapes reach the gateway as the upstream sent them.
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 400, body: `{"error":{"message":"bad key ${spelled}","type":"invalid_request_error","code":"bad"}}`, headers: { 'x-echo': spelled } } }]);
    const gateway = await gatewayFor([primary]);
    const response = await chat(gateway);
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain(spelled);
    expect(text).toContain('[redacted]');
    expect(response.headers.get('x-echo')).not.toContain(spelled);
    expect(response.headers.get('x-echo')).toContain('[redacted]');
  });
});

describe('defect 5: per-model state and metrics stay bounded', () => {
  it('prints each series once and bounds labels, /healthz and model names however many models cool', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 600_000 } }]);
    const gateway = await gatewayFor([primary]);
    const names = [
      ...Array.from({ length: 300 }, (_, index) => `model-${index}`),
      ...Array.from({ length: 100 }, (_, index) => `${index}-${'y'.repeat(240)}`),
    ];
    for (const model of names) await chat(gateway, { model, messages: [] });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const series = metrics.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.slice(0, line.lastIndexOf(' ')));
    expect(series.length - new Set(series).size).toBe(0);
    expect(Math.max(...[...metrics.matchAll(/model="([^"]*)"/g)].map((match) => match[1]!.length))).toBeLessThanOrEqual(128);
    expect(metrics).toContain('detour_model_cooldown_seconds{endpoint="primary",model="other"}');
    const health = JSON.parse(await (await fetch(`${gateway.url}/healthz`)).text());
    expect(Object.keys(health.endpoints[0].modelCooldownSeconds)).toHaveLength(maxModelCooldowns);
    const tooLong = await chat(gateway, { model: 'z'.repeat(10_000), messages: [] });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.message).toMatch(/limit is 256/);
  });
});
