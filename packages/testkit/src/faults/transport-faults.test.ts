import { describe, expect, it, vi } from 'vitest';
import { chat, networkCode, readUntilEnd, sseData, startUpstream } from '../../test/http';
import type { Fault } from '../types';

const upstreamWith = (fault: Fault, options = {}) => startUpstream({ name: 'primary', script: [{ fault }], ...options });

describe('transport faults', () => {
  it('slow-first-byte: holds the whole answer back, then answers normally', async () => {
    const upstream = await upstreamWith({ type: 'slow-first-byte', delayMs: 60_000 });
    let settled = false;
    const pending = chat(upstream).finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(upstream.stats().total).toBe(1));
    expect(settled).toBe(false);
    await upstream.close();
    await expect(pending).rejects.toThrow();
    expect(upstream.stats().byOutcome).toEqual({ 'slow-first-byte': 1 });
  });

  it('slow-first-byte: a short delay still delivers the healthy reply', async () => {
    const upstream = await upstreamWith({ type: 'slow-first-byte', delayMs: 5 });
    const response = await chat(upstream);
    expect((await response.json()).choices[0].message.content).toContain('primary');
    expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(4);
  });

  it('slow-body: sends the status at once and the stream a chunk at a time', async () => {
    const upstream = await upstreamWith({ type: 'slow-body', chunkDelayMs: 60_000 });
    const response = await chat(upstream, { stream: true });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(sseData(first)).toHaveLength(1);
    expect(JSON.parse(sseData(first)[0]!).choices[0].delta.role).toBe('assistant');
    await upstream.close();
    await expect(reader.read()).rejects.toThrow();
  });

  it('slow-body: a JSON reply arrives in pieces but whole', async () => {
    const upstream = await upstreamWith({ type: 'slow-body', chunkDelayMs: 1 });
    const body = await (await chat(upstream)).json();
    expect(body.choices[0].message.content).toContain('primary');
    expect(upstream.stats().byOutcome).toEqual({ 'slow-body': 1 });
  });

  it('cut-stream close: ends the stream cleanly after N chunks, without [DONE]', async () => {
    const upstream = await upstreamWith({ type: 'cut-stream', afterChunks: 3, mode: 'close' });
    const response = await chat(upstream, { stream: true });
    const { text, error } = await readUntilEnd(response);
    expect(error).toBeUndefined();
    const data = sseData(text);
    expect(data).toHaveLength(3);
    expect(data).not.toContain('[DONE]');
    expect(upstream.stats().byOutcome).toEqual({ 'cut-stream': 1 });
  });

  it('cut-stream reset: destroys the socket after N chunks', async () => {
    const upstream = await upstreamWith({ type: 'cut-stream', afterChunks: 2, mode: 'reset' });
    const response = await chat(upstream, { stream: true });
    expect(response.status).toBe(200);
    const { text, error } = await readUntilEnd(response);
    // Linux reports an RST that follows data already read as the peer going away; either way the body fails.
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(networkCode(error));
    expect(sseData(text).length).toBeLessThanOrEqual(2);
    expect(text).not.toContain('[DONE]');
  });

  it('cut-stream reset after zero chunks: the status arrives, then the reset', async () => {
    const upstream = await upstreamWith({ type: 'cut-stream', afterChunks: 0, mode: 'reset' });
    const outcome = await chat(upstream, { stream: true }).then(
      (response) => readUntilEnd(response),
      (error: unknown) => ({ text: '', error }),
    );
    expect(outcome.text).toBe('');
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(networkCode(outcome.error));
  });

  it('cut-stream defaults to a clean close, and cuts a JSON reply in half', async () => {
    const upstream = await upstreamWith({ type: 'cut-stream', afterChunks: 1 });
    const response = await chat(upstream);
    const { text, error } = await readUntilEnd(response);
    expect(error).toBeUndefined();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
  });

  it('malformed-sse: sends a chunk that is not valid JSON after N good ones', async () => {
    const upstream = await upstreamWith({ type: 'malformed-sse', afterChunks: 2 });
    const data = sseData(await (await chat(upstream, { stream: true })).text());
    expect(JSON.parse(data[0]!).object).toBe('chat.completion.chunk');
    expect(JSON.parse(data[1]!).object).toBe('chat.completion.chunk');
    expect(() => JSON.parse(data[2]!)).toThrow();
    expect(upstream.stats().byOutcome).toEqual({ 'malformed-sse': 1 });
  });

  it('malformed-sse: defaults to one good chunk first', async () => {
    const upstream = await upstreamWith({ type: 'malformed-sse' });
    const data = sseData(await (await chat(upstream, { stream: true })).text());
    expect(() => JSON.parse(data[0]!)).not.toThrow();
    expect(() => JSON.parse(data[1]!)).toThrow();
  });

  it('reset: destroys the connection before any response', async () => {
    const upstream = await upstreamWith({ type: 'reset' });
    const error = await chat(upstream).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(networkCode(error)).toBe('ECONNRESET');
    expect(upstream.stats().byOutcome).toEqual({ reset: 1 });
  });

  it('hang: never answers, and lets go when the client hangs up', async () => {
    const upstream = await upstreamWith({ type: 'hang' });
    const controller = new AbortController();
    const pending = chat(upstream, {}, { signal: controller.signal });
    await vi.waitFor(() => expect(upstream.stats().total).toBe(1));
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(upstream.stats().byOutcome).toEqual({ hang: 1 });
    // The upstream still serves the next request once the script no longer hangs.
    upstream.setScript([]);
    expect((await chat(upstream)).status).toBe(200);
  });

  it('records a client that hangs up during a slow answer as client-aborted', async () => {
    const upstream = await upstreamWith({ type: 'slow-first-byte', delayMs: 60_000 });
    const controller = new AbortController();
    const pending = chat(upstream, {}, { signal: controller.signal });
    await vi.waitFor(() => expect(upstream.stats().total).toBe(1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(upstream.stats().byOutcome).toEqual({ 'client-aborted': 1 }));
    expect(upstream.stats().requests[0]?.outcome).toBe('client-aborted');
  });
});
