import { describe, expect, it, vi } from 'vitest';
import { chat, readUntilEnd, startUpstream } from '../test/http';
import { createLatencySampler } from './latency';
import { createSeededRandom } from './random';
import { startChaosUpstream } from './server';

const statuses = async (upstream: Awaited<ReturnType<typeof startUpstream>>, count: number): Promise<number[]> => {
  const result: number[] = [];
  for (let index = 0; index < count; index += 1) result.push((await chat(upstream)).status);
  return result;
};

describe('startChaosUpstream', () => {
  it('fails every Nth request as scripted and serves the rest', async () => {
    const upstream = await startUpstream({ script: [{ when: { every: 2 }, fault: { type: 'status', status: 500 } }] });
    expect(await statuses(upstream, 4)).toEqual([200, 500, 200, 500]);
  });

  it('applies a time window measured on the injected clock', async () => {
    let now = 0;
    const upstream = await startUpstream({
      now: () => now,
      script: [{ when: { afterMs: 1_000, forMs: 2_000 }, fault: { type: 'status', status: 503 } }],
    });
    const seen: number[] = [];
    for (const at of [999, 1_000, 2_999, 3_000]) {
      now = at;
      seen.push((await chat(upstream)).status);
    }
    expect(seen).toEqual([200, 503, 503, 200]);
  });

  it('restarts the request count and time window on setScript', async () => {
    let now = 0;
    const upstream = await startUpstream({ now: () => now });
    await statuses(upstream, 3);
    now = 10_000;
    upstream.setScript([{ when: { nth: [1], forMs: 100 }, fault: { type: 'status', status: 502 } }]);
    expect(await statuses(upstream, 2)).toEqual([502, 200]);
    expect(upstream.stats().requests.map((record) => record.seq)).toEqual([1, 2, 3, 1, 2]);
  });

  it('rejects an invalid script given to setScript, naming the path', async () => {
    const upstream = await startUpstream();
    expect(() => upstream.setScript([{ fault: { type: 'status', status: 9000 } }])).toThrow(/\[0\]\.fault\.status/);
  });

  it('rejects invalid options at start, naming the path', async () => {
    await expect(startChaosUpstream({ latency: { type: 'fixed', ms: -1 } })).rejects.toThrow(/latency\.ms/);
  });

  it('fails the same requests for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const upstream = await startUpstream({ seed: 42, script: [{ when: { probability: 0.5 }, fault: { type: 'status', status: 503 } }] });
      return statuses(upstream, 20);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it('delays each answer by the seeded latency sample and records it', async () => {
    const model = { type: 'normal', meanMs: 8, stdDevMs: 4 } as const;
    const upstream = await startUpstream({ seed: 7, latency: model });
    const responses = [await chat(upstream), await chat(upstream), await chat(upstream)];
    const recorded = upstream.stats().requests.map((record) => record.latencyMs);
    const expected = createLatencySampler(model, createSeededRandom(7 ^ 0x5bd1e995));
    expect(recorded).toEqual([expected(), expected(), expected()]);
    responses.forEach((response, index) => {
      // A lower bound only: the timer never fires early by more than its 1 ms rounding.
      expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual((recorded[index] ?? 0) - 1);
    });
  });

  it('applies fixed and long-tail latency models', async () => {
    const fixed = await startUpstream({ latency: { type: 'fixed', ms: 3 } });
    await chat(fixed);
    expect(fixed.stats().requests[0]?.latencyMs).toBe(3);
    const tail = await startUpstream({ seed: 3, latency: { type: 'long-tail', p50Ms: 2, p99Ms: 20 } });
    await chat(tail);
    const expected = createLatencySampler({ type: 'long-tail', p50Ms: 2, p99Ms: 20 }, createSeededRandom(3 ^ 0x5bd1e995));
    expect(tail.stats().requests[0]?.latencyMs).toBe(expected());
  });

  it('close() ends an open stream and resolves', async () => {
    const upstream = await startChaosUpstream({ chunkDelayMs: 60_000 });
    const response = await chat(upstream, { stream: true });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await upstream.close();
    await expect(reader.read()).rejects.toThrow();
  });

  it('close() releases a hung request and resolves', async () => {
    const upstream = await startChaosUpstream({ script: [{ fault: { type: 'hang' } }] });
    const pending = chat(upstream);
    await vi.waitFor(() => expect(upstream.stats().total).toBe(1));
    await upstream.close();
    await expect(pending).rejects.toThrow();
    expect(upstream.stats().byOutcome).toEqual({ hang: 1 });
  });

  it('close() stops accepting connections and can be called twice', async () => {
    const upstream = await startChaosUpstream();
    expect((await chat(upstream)).status).toBe(200);
    await Promise.all([upstream.close(), upstream.close()]);
    await expect(chat(upstream)).rejects.toThrow();
  });

  it('closes without waiting for a keep-alive connection left idle', async () => {
    const upstream = await startChaosUpstream();
    const { text } = await readUntilEnd(await chat(upstream));
    expect(text).toContain('chatcmpl-');
    await upstream.close();
  });
});
