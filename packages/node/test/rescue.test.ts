import type { RouterEvent } from '@detour/core';
import { startChaosUpstream, type ChaosOptions, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch, type NodeRouterOptions } from '../src/index';

// Issue 16: a stream cut mid-answer is finished on another endpoint, into the same client stream, through the
// real openai SDK. Every upstream answers deterministically (the same 60 words for the same conversation), so the
// whole answer is known in advance and a replay repeats it.
const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, options: Partial<ChaosOptions> = {}) => {
  const started = await startChaosUpstream({ name, answers: 'deterministic', completionTokens: 60, ...options });
  upstreams.push(started);
  return started;
};

type EndpointExtra = Record<string, unknown>;
const client = (endpoints: [ChaosUpstream, EndpointExtra?][], options: Partial<NodeRouterOptions> = {}) => {
  const detourFetch = createFetch({
    endpoints: endpoints.map(([target, extra], index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, priority: index, ...extra })),
    ...options,
  });
  fetches.push(detourFetch);
  const events: RouterEvent[] = [];
  detourFetch.router.subscribe((event) => events.push(event));
  return { openai: new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 }), events };
};

const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Tell me a long story' }], stream: true as const };

/** The whole answer, as a healthy deterministic upstream gives it. */
const wholeAnswer = async () => {
  const reference = await upstream('reference');
  const direct = new OpenAI({ apiKey: 'x', baseURL: reference.baseUrl, maxRetries: 0 });
  const completion = await direct.chat.completions.create({ ...ask, stream: false });
  return completion.choices[0]!.message.content!;
};

/** Reads a stream through the SDK: the text, the chunks' ids and finish reasons, and the error it ended with. */
const read = async (openai: OpenAI, body: Record<string, unknown> = {}) => {
  const stream = await openai.chat.completions.create({ ...ask, ...body });
  let text = '';
  const ids = new Set<string>();
  const finishReasons: string[] = [];
  let usage: unknown;
  let error: unknown;
  try {
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
      const reason = chunk.choices[0]?.finish_reason;
      if (reason) finishReasons.push(reason);
      if (chunk.usage) usage = chunk.usage;
    }
  } catch (thrown) {
    error = thrown;
  }
  return { text, ids, finishReasons, usage, error };
};

describe('mid-stream rescue through createFetch and the openai SDK', () => {
  it('delivers the whole 60-token answer exactly once when the primary cuts after 40 and the backup continues it', async () => {
    const whole = await wholeAnswer();
    expect(whole.trim().split(/\s+/)).toHaveLength(60);
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }] });
    const backup = await upstream('backup', { prefill: 'mistral' });
    const { openai, events } = client([[primary], [backup, { continuation: 'mistral' }]]);
    const result = await read(openai, { stream_options: { include_usage: true } });
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
    expect(result.ids.size).toBe(1);
    // The delivered 40 words are output: estimated from their text (about 4 characters a token, as the testkit counts
    // the continuation's prompt), they move from the continuation's prompt to the answer's completion, whole.
    const usage = result.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(60);
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(backup.stats().requests[0]).toMatchObject({ outcome: 'ok' });
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ from: 'primary', to: 'backup', mode: 'continue', outcome: 'rescued' });
    expect(events.filter((event) => event.type === 'cost-record').map((event) => event.endpoint)).toEqual(['primary', 'backup']);
  });

  it('replays on a deterministic backup that rejects prefill, and delivers the whole answer', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'close' } }] });
    const backup = await upstream('backup', { prefill: 'reject' });
    const { openai, events } = client([[primary], [backup]]);
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(result.finishReasons).toEqual(['stop']);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'replay', outcome: 'rescued' });
  });

  it('never lets the rescue\'s 400 become the caller\'s error, and moves on to a target that can replay', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    // Declared continue-capable, but the model behind it refuses prefill (as newer Claude models do).
    const refusing = await upstream('refusing', { prefill: 'reject' });
    const backup = await upstream('backup');
    const { openai } = client([[primary], [refusing, { continuation: 'openrouter' }], [backup]]);
    const result = await read(openai);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(whole);
    expect(refusing.stats().requests[0]).toMatchObject({ outcome: 'prefill-rejected' });

    // With nothing else to try, the caller's error names the original cut and says a rescue was tried.
    const alone = client([[await upstream('primary2', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] })], [refusing, { continuation: 'openrouter' }]]);
    const failed = await read(alone.openai);
    expect(failed.error).toBeInstanceOf(OpenAI.APIError);
    const message = (failed.error as Error).message;
    expect(message).toContain('The stream from endpoint "primary2" was interrupted');
    expect(message).toContain('A rescue was tried and failed');
    expect((failed.error as InstanceType<typeof OpenAI.APIError>).status).not.toBe(400);
    expect(whole.startsWith(failed.text)).toBe(true);
  });

  it('ends with a clear error when the replay diverges, and what was delivered is a true prefix of the answer', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const backup = await upstream('backup', { script: [{ fault: { type: 'vary-answer', afterTokens: 20 } }] });
    const { openai, events } = client([[primary], [backup]]);
    const result = await read(openai);
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect((result.error as Error).message).toMatch(/interrupted .* A rescue was tried and failed: the replay on "backup" .*diverged/);
    expect(result.text.length).toBeGreaterThan(0);
    expect(whole.startsWith(result.text)).toBe(true);
    expect(result.text.trim().split(/\s+/)).toHaveLength(40);
    expect(result.finishReasons).toEqual([]);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'replay', outcome: 'diverged' });
  });

  it('detects a stall within streamIdleTimeoutMs + 1 s and finishes the answer on the backup', async () => {
    const whole = await wholeAnswer();
    const idleMs = 1500;
    const primary = await upstream('primary', { script: [{ fault: { type: 'stall', afterTokens: 40 } }] });
    const backup = await upstream('backup', { prefill: 'vllm' });
    const { openai, events } = client([[primary], [backup, { continuation: 'vllm' }]], { streamIdleTimeoutMs: idleMs });
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
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'continue', outcome: 'rescued' });
  });
});

describe('mid-stream rescue of an Anthropic Messages stream through createFetch', () => {
  const messagesBody = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 1000, stream: true, messages: [{ role: 'user', content: 'Tell me a long story' }] });
  const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'caller-key' };

  /** Reads a Messages stream by hand: its text deltas and the types of its events. */
  const readMessages = async (response: Response) => {
    const raw = await response.text();
    const events = raw.split('\n\n').filter((event) => event.includes('data: ')).map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { type: string; delta?: { text?: string }; error?: { message: string } });
    return { events, text: events.filter((event) => event.type === 'content_block_delta').map((event) => event.delta?.text ?? '').join('') };
  };

  it('continues a message cut after 40 of 60 tokens on an endpoint with Anthropic\'s prefill', async () => {
    const reference = await upstream('reference');
    const whole = (await readMessages(await fetch(`${reference.baseUrl}/messages`, { method: 'POST', headers, body: messagesBody }))).text;
    expect(whole.trim().split(/\s+/)).toHaveLength(60);
    const primary = await upstream('primary', { script: [{ fault: { type: 'cut-stream', afterTokens: 40 } }] });
    const backup = await upstream('backup', { prefill: 'anthropic' });
    const detourFetch = createFetch({
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', provider: 'anthropic' },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', provider: 'anthropic', continuation: 'anthropic', priority: 1 },
      ],
    });
    fetches.push(detourFetch);
    const response = await detourFetch('https://api.anthropic.com/v1/messages', { method: 'POST', headers, body: messagesBody });
    const { events, text } = await readMessages(response);
    expect(text).toBe(whole);
    expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('message_stop');
    // The primary (which speaks Messages only with `provider: 'anthropic'`, or `apis`) was cut; the backup continued.
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().requests[0]).toMatchObject({ outcome: 'ok', continued: expect.any(String) });
  });
});
