import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { TransportRequest } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type ScriptedReply } from '../testing/scripted-transport';
import { credentialFingerprint } from './credential-fingerprint';
import { adoptFleetState, type FleetEndpointState } from './fleet-endpoint-state';
import { createMemoryStore, initialEndpointState, withDisable } from './memory-store';

// Attack 19, F1: a disable earned by a revoked or spent key held the endpoint for an hour after the key was replaced
// under the same name, fleet-wide, and a member still on the old key renewed it for everyone.

const now = 1_800_000_000_000;
const openai = (apiKey: string) => ({ name: 'openai', baseUrl: 'https://api.openai.example/v1', apiKey });
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const revoked: ScriptedReply = { status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } };
const keyOf = (request: TransportRequest) => new Headers(request.headers as Record<string, string>).get('authorization');

/** Two routers on one store (as two members of a fleet), each with its own key for the same endpoint name. */
const fleetOfTwo = () => {
  const clock = createFakeClock(now);
  const store = createMemoryStore();
  const transport = createScriptedTransport({ openai: (request) => (keyOf(request) === 'Bearer sk-old-revoked' ? revoked : { body: chatCompletion('ok') }) });
  const member = (apiKey: string) =>
    createRouter({ endpoints: [openai(apiKey)] }, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
  return { clock, store, transport, member };
};

describe('a disable belongs to the credential that earned it', () => {
  it('a key replaced under the same name is sent at once, while the old key stays disabled', async () => {
    const { store, transport, member } = fleetOfTwo();
    const old = member('sk-old-revoked');
    await expect(old.send(chat)).rejects.toThrow();
    expect(store.read('openai')).toMatchObject({ disabledBy: credentialFingerprint(old.options.endpoints[0]!) });
    // The member still on the old key does not send it again.
    await expect(old.send(chat)).rejects.toBeInstanceOf(NoEndpointAvailableError);
    expect(transport.callsTo('openai')).toHaveLength(1);

    const rotated = member('sk-new-funded');
    expect((await rotated.send(chat)).status).toBe(200);
    expect((await rotated.health())[0]).toMatchObject({ available: true });
    expect((await old.health())[0]).toMatchObject({ available: false });
  });

  it('a member still on the old key does not take the endpoint from members on the new one', async () => {
    const { member } = fleetOfTwo();
    const rotated = member('sk-new-funded');
    const old = member('sk-old-revoked');
    expect((await rotated.send(chat)).status).toBe(200);
    await expect(old.send(chat)).rejects.toThrow();
    for (let index = 0; index < 3; index += 1) expect((await rotated.send(chat)).status).toBe(200);
  });

  it('a bad new key is disabled for itself, over an old key\'s later disable', async () => {
    const clock = createFakeClock(now);
    const store = createMemoryStore();
    const transport = createScriptedTransport({ openai: [revoked] });
    const member = (apiKey: string, disableMs: number) =>
      createRouter({ endpoints: [openai(apiKey)], cooldown: { disableMs } }, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
    await expect(member('sk-a', 3_600_000).send(chat)).rejects.toThrow();
    const second = member('sk-b', 60_000);
    await expect(second.send(chat)).rejects.toThrow();
    await expect(second.send(chat)).rejects.toBeInstanceOf(NoEndpointAvailableError);
    expect(transport.callsTo('openai')).toHaveLength(2);
    expect(store.read('openai')).toMatchObject({ disabledUntil: now + 60_000, disabledBy: credentialFingerprint(second.options.endpoints[0]!) });
  });

  it('a router on its own memory store keeps disables as before (no credential is written)', async () => {
    const clock = createFakeClock(now);
    const transport = createScriptedTransport({ openai: [revoked] });
    const router = createRouter({ endpoints: [openai('sk-a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
    await expect(router.send(chat)).rejects.toThrow();
    await expect(router.send(chat)).rejects.toBeInstanceOf(NoEndpointAvailableError);
    expect(transport.callsTo('openai')).toHaveLength(1);
  });
});

describe('withDisable and adoptFleetState keep each credential\'s disable', () => {
  const fleet = (extra: Partial<FleetEndpointState>): FleetEndpointState => ({
    cooldownUntil: 0, disabledUntil: 0, modelCooldowns: Object.create(null), reason: 'fleet', breaker: undefined, ...extra,
  });

  it('the later deadline wins within one credential; another credential\'s gives way', () => {
    const byA = withDisable(initialEndpointState, now + 3_600_000, 'auth', 'a');
    expect(withDisable(byA, now + 60_000, 'auth', 'a')).toMatchObject({ disabledUntil: now + 3_600_000, disabledBy: 'a' });
    expect(withDisable(byA, now + 60_000, 'auth', 'b')).toMatchObject({ disabledUntil: now + 60_000, disabledBy: 'b' });
    // Without a credential (an earlier version, a store author's call): one disable for everyone, as before.
    const anyone = withDisable(initialEndpointState, now + 60_000, 'auth', undefined);
    expect(withDisable(anyone, now + 30_000, 'auth', undefined)).toMatchObject({ disabledUntil: now + 60_000, disabledBy: undefined });
  });

  it('a view with a live disable of its own does not adopt another credential\'s, even a later one', () => {
    const own = withDisable(initialEndpointState, now + 60_000, 'auth', 'b');
    expect(adoptFleetState(own, fleet({ disabledUntil: now + 3_600_000, disabledBy: 'a' }), now, 'b')).toBe(own);
    // Its own credential's later deadline is adopted.
    expect(adoptFleetState(own, fleet({ disabledUntil: now + 120_000, disabledBy: 'b' }), now, 'b')).toMatchObject({ disabledUntil: now + 120_000, disabledBy: 'b' });
  });

  it('a view holding another credential\'s disable takes the fleet\'s newer one of a third, its own included (review of attack 19)', () => {
    // B2 had adopted the old key's disable (A), then B1 earned one for the new key (B): B2 kept A's, hid it, and sent
    // the new key that B1 had just found unfunded.
    const adopted = adoptFleetState(initialEndpointState, fleet({ disabledUntil: now + 3_600_000, disabledBy: 'a' }), now);
    expect(adoptFleetState(adopted, fleet({ disabledUntil: now + 60_000, disabledBy: 'b' }), now)).toMatchObject({ disabledUntil: now + 60_000, disabledBy: 'b' });
    // The same deadline from another credential is news too (two members disabled in the same millisecond).
    expect(adoptFleetState(adopted, fleet({ disabledUntil: now + 3_600_000, disabledBy: 'b' }), now)).toMatchObject({ disabledBy: 'b' });
    // A cooldown's message (no disable in it) leaves the disable as it is.
    expect(adoptFleetState(adopted, fleet({ cooldownUntil: now + 5_000 }), now)).toMatchObject({ disabledUntil: now + 3_600_000, disabledBy: 'a' });
  });

  it('a view with no live disable adopts the fleet\'s with its credential', () => {
    expect(adoptFleetState(initialEndpointState, fleet({ disabledUntil: now + 60_000, disabledBy: 'a' }), now)).toMatchObject({ disabledUntil: now + 60_000, disabledBy: 'a' });
    const lapsed = withDisable(initialEndpointState, now - 1, 'auth', 'b');
    expect(adoptFleetState(lapsed, fleet({ disabledUntil: now + 60_000, disabledBy: 'a' }), now)).toMatchObject({ disabledUntil: now + 60_000, disabledBy: 'a' });
  });

  it('fingerprints differ by key, URL and headers, and never contain the key', () => {
    const base = { baseUrl: 'https://api.example/v1', apiKey: 'sk-proj-abcdefghijklmnopqrstuvwxyz012345' };
    const prints = new Set([
      credentialFingerprint(base),
      credentialFingerprint({ ...base, apiKey: 'sk-proj-abcdefghijklmnopqrstuvwxyz012346' }),
      credentialFingerprint({ ...base, baseUrl: 'https://eu.api.example/v1' }),
      credentialFingerprint({ ...base, headers: { 'x-org': 'one' } }),
      credentialFingerprint({ ...base, apiKeyHeader: 'api-key' }),
    ]);
    expect(prints.size).toBe(5);
    expect(credentialFingerprint(base)).toBe(credentialFingerprint({ ...base }));
    // A trailing slash is the same URL to every member.
    expect(credentialFingerprint({ ...base, baseUrl: 'https://api.example/v1/' })).toBe(credentialFingerprint(base));
    for (const print of prints) expect(base.apiKey).not.toContain(print.slice(0, 4));
  });
});
