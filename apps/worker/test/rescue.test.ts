import { startChaosUpstream, type ChaosOptions, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Issue 16 through the gateway: a stream cut or stalled mid-answer reaches the openai SDK as one whole answer, or
// as one clear error whose delivered text is a true prefix of the answer. Upstreams answer deterministically.
const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, options: Partial<ChaosOptions> = {}) => {
  const started = await startChaosUpstream({ name, answers: 'deterministic', completionTokens: 60, ...options });
  upstreams.push(started);
  return started;
};

const gatewayFor = async (targets: [ChaosUpstream, Record<string, unknown>?][], router: Record<string, unknown> = {}) => {
  const config = loadConfig(
    {
      endpoints: targets.map(([target, extra], index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-upstream-${target.name}`, priority: index, ...extra })),
      gatewayKeys: ['gk-e2e'],
      router,
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return { gateway, openai: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-e2e', maxRetries: 0 }) };
};

const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Tell me a long story' }], stream: true as const };

const wholeAnswer = async () => {
  const reference = await upstream('reference');
  const direct = new OpenAI({ apiKey: 'x', baseURL: reference.baseUrl, maxRetries: 0 });
  return (await direct.chat.completions.create({ ...ask, stream: false })).choices[0]!.message.content!;
};

const read = async (openai: OpenAI) => {
  let text = '';
  const ids = new Set<string>();
  const finishReasons: string[] = [];
  let error: unknown;
  try {
    // An answer that fails before its first byte throws here, one that fails mid-way while it is read.
    const stream = await openai.chat.completions.create(ask);
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason);
    }
  } catch (thrown) {
    error = thrown;
  }
  return { text, ids, finishReasons, error };
};

describe('mid-stream rescue through the gateway', () => {
  it('delivers the whole 60-token answer exactly once when the primary cuts after 40 and the backup continues it', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }] });
    const backup = await upstream('backup', { prefill: 'deepseek' });
    const { openai, gateway } = await gatewayFor([[primary], [backup, { continuation: 'deepseek' }]]);
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
    expect(result.ids.size).toBe(1);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_stream_rescues_total{mode="continue",outcome="rescued"} 1');
  });

  it('tells the operator how each endpoint\'s part of a rescued stream ended, and whose first byte it was (attack 20)', async () => {
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }] });
    const backup = await upstream('backup', { prefill: 'deepseek' });
    const { openai, gateway } = await gatewayFor([[primary], [backup, { continuation: 'deepseek' }]]);
    expect((await read(openai)).error).toBeUndefined();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    // Before: `detour_attempts_total{endpoint="primary",kind="success"}` and nothing else said the primary cut it.
    expect(metrics).toContain('detour_stream_ends_total{endpoint="primary",outcome="interrupted"} 1');
    expect(metrics).toContain('detour_stream_ends_total{endpoint="backup",outcome="complete"} 1');
    expect(metrics).toContain('detour_stream_duration_seconds_count{endpoint="primary"} 1');
    // The first byte came from the primary: it was filed under the backup.
    expect(metrics).toContain('detour_time_to_first_byte_seconds_count{endpoint="primary"} 1');
    expect(metrics).not.toContain('detour_time_to_first_byte_seconds_count{endpoint="backup"}');
  });

  // A chunk cut or garbled upstream (here followed by `[DONE]`, as testkit sends it) used to reach the SDK, which threw
  // on its JSON: now it is withheld as the upstream's failure, and the answer rescued like any other cut.
  it('delivers the whole answer when the upstream sent a chunk that is not valid JSON, then [DONE]', async () => {
    // Rescued when the broken chunk comes after the stream committed; failed over before the first byte when it came
    // in the same read as the first event (which the network decides). Either way, the caller gets the whole answer.
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'malformed-sse', afterTokens: 40 } }] });
    const backup = await upstream('backup', { prefill: 'deepseek' });
    const { openai } = await gatewayFor([[primary], [backup, { continuation: 'deepseek' }]]);
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
    expect(backup.stats().requests[0]).toMatchObject({ outcome: 'ok' });
  });

  it('fails a stream whose only endpoint sent a chunk that is not valid JSON, naming it, never as a clean end', async () => {
    const primary = await upstream('primary', { script: [{ fault: { type: 'malformed-sse', afterTokens: 40 } }] });
    // One attempt in all: no rescue can follow, and the caller learns why from Detour: mid-answer in its error event,
    // or before the first byte in the error answer.
    const { openai } = await gatewayFor([[primary]], { maxAttempts: 1 });
    const result = await read(openai);
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect((result.error as Error).message).toMatch(/an event that is not valid JSON \(\{"id":"chatcmpl-malformed"|HTTP 200 with an error event: server_error \(unreadable_event\)/);
    expect(result.finishReasons).not.toContain('stop');
  });

  it('replays on a deterministic backup that rejects prefill', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const backup = await upstream('backup', { prefill: 'reject' });
    const { openai } = await gatewayFor([[primary], [backup]]);
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
  });

  it('ends with a clear error event when the replay diverges; the delivered text is a true prefix', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const backup = await upstream('backup', { script: [{ fault: { type: 'vary-answer', afterTokens: 20 } }] });
    const { openai, gateway } = await gatewayFor([[primary], [backup]]);
    const result = await read(openai);
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect((result.error as Error).message).toMatch(/The stream from endpoint "primary" was interrupted .* A rescue was tried and failed: the replay on "backup"/);
    expect(whole.startsWith(result.text)).toBe(true);
    expect(result.text.trim().split(/\s+/)).toHaveLength(40);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_stream_rescues_total{mode="replay",outcome="diverged"} 1');
  });

  it('after the error event of a failed rescue, a raw HTTP client sees a body that never ended, not a clean close', async () => {
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const backup = await upstream('backup', { script: [{ fault: { type: 'vary-answer', afterTokens: 20 } }] });
    const { gateway } = await gatewayFor([[primary], [backup]]);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer gk-e2e`, 'content-type': 'application/json' },
      body: JSON.stringify(ask),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        text += decoder.decode(value, { stream: true });
      }
    })().catch((error: unknown) => error);
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
    expect(failure).toBeInstanceOf(Error);
  });

  it('hides a rescue\'s 400: the caller\'s error names the original cut', async () => {
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const refusing = await upstream('refusing', { prefill: 'reject' });
    const { openai } = await gatewayFor([[primary], [refusing, { continuation: 'anthropic' }]], { maxAttempts: 2 });
    const result = await read(openai);
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect((result.error as InstanceType<typeof OpenAI.APIError>).status).toBeUndefined();
    expect((result.error as Error).message).toMatch(/endpoint "primary" was interrupted .* A rescue was tried and failed: no endpoint took the answer on \("refusing"/);
  });

  it('rescues a stall within streamIdleTimeoutMs + 1 s, then stays healthy for the next request', async () => {
    const whole = await wholeAnswer();
    const idleMs = 1500;
    const primary = await upstream('primary', { script: [{ when: { to: 1 }, fault: { type: 'stall', afterTokens: 40 } }] });
    const backup = await upstream('backup', { prefill: 'openrouter' });
    const { openai } = await gatewayFor([[primary], [backup, { continuation: 'openrouter' }]], { streamIdleTimeoutMs: idleMs });
    const stream = await openai.chat.completions.create(ask);
    let text = '';
    let fortiethAt = 0;
    let resumedAt = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? '';
      text += piece;
      if (piece !== '' && fortiethAt === 0 && text.trim().split(/\s+/).length === 40) fortiethAt = Date.now();
      else if (piece !== '' && fortiethAt !== 0 && resumedAt === 0) resumedAt = Date.now();
    }
    expect(text).toBe(whole);
    // The stall is timed from when the router saw token 40, the client a little later: a margin each way for a busy
    // machine, still far from a rescue that did not wait for the idle limit, or one that waited a second limit.
    expect(resumedAt - fortiethAt).toBeGreaterThanOrEqual(idleMs - 250);
    expect(resumedAt - fortiethAt).toBeLessThanOrEqual(idleMs + 5000);
    // The next request is served whole.
    const next = await read(openai);
    expect(next.error).toBeUndefined();
    expect(next.text).toBe(whole);
  });

  // Between Detour and a caller there is often a proxy that closes a connection idle for a minute; a rescue can be
  // silent longer. The comments keep it open, and SSE readers (here the openai SDK) skip them.
  it('sends SSE comments while a slow replay takes the answer over, and the SDK still reads one whole answer', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }] });
    const backup = await upstream('backup', { script: [{ fault: { type: 'slow-first-byte', delayMs: 1000 } }] });
    const { openai, gateway } = await gatewayFor([[primary], [backup]], { rescueHeartbeatMs: 50 });
    const raw = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer gk-e2e', 'content-type': 'application/json' }, body: JSON.stringify(ask),
    });
    const events = (await raw.text()).split('\n\n');
    const beats = events.filter((event) => event === ': detour is rescuing this stream');
    expect(beats.length).toBeGreaterThan(0);
    // Only after what the primary delivered, and before the rest of the answer.
    const firstBeat = events.indexOf(beats[0]!);
    expect(events.slice(0, firstBeat).filter((event) => event.includes('"content"')).length).toBeGreaterThanOrEqual(40);
    expect(events.at(-2)).toBe('data: [DONE]');
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
  });
});
