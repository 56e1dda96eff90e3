import { describe, expect, it } from 'vitest';
import { chat, post, startUpstream } from '../test/http';

describe('stats', () => {
  it('counts requests by path, model and outcome, and records each one', async () => {
    let now = 5_000;
    const upstream = await startUpstream({ now: () => now, script: [{ when: { nth: [2] }, fault: { type: 'status', status: 503 } }] });
    await chat(upstream, { model: 'a' });
    now = 6_000;
    await chat(upstream, { model: 'b', stream: true });
    await post(upstream, '/v1/embeddings', { model: 'a', input: 'x' });
    const stats = upstream.stats();
    expect(stats.total).toBe(3);
    expect(stats.byPath).toEqual({ '/v1/chat/completions': 2, '/v1/embeddings': 1 });
    expect(stats.byModel).toEqual({ a: 2, b: 1 });
    expect(stats.byOutcome).toEqual({ ok: 2, 'status-503': 1 });
    expect(stats.requests.map((record) => [record.seq, record.at, record.outcome, record.stream])).toEqual([
      [1, 5_000, 'ok', false],
      [2, 6_000, 'status-503', true],
      [3, 6_000, 'ok', false],
    ]);
    const record = stats.requests[0]!;
    expect(record).toMatchObject({ method: 'POST', path: '/v1/chat/completions', model: 'a', authorization: 'Bearer sk-test-0123456789' });
    expect(record.headers['content-type']).toBe('application/json');
    expect(record.body).toMatchObject({ model: 'a', messages: [{ role: 'user', content: 'Say hello.' }] });
  });

  it('answers "did any request arrive between t1 and t2" with requestsBetween', async () => {
    let now = 0;
    const upstream = await startUpstream({ now: () => now });
    for (const at of [100, 200, 300]) {
      now = at;
      await chat(upstream);
    }
    expect(upstream.requestsBetween(150, 300).map((record) => record.at)).toEqual([200, 300]);
    expect(upstream.requestsBetween(301, 10_000)).toEqual([]);
  });

  it('forgets everything on resetStats, but keeps the script count', async () => {
    const upstream = await startUpstream({ script: [{ when: { nth: [2] }, fault: { type: 'unauthorized' } }] });
    await chat(upstream);
    upstream.resetStats();
    expect(upstream.stats()).toEqual({ total: 0, byPath: {}, byModel: {}, byOutcome: {}, requests: [] });
    expect((await chat(upstream)).status).toBe(401);
    expect(upstream.stats().total).toBe(1);
  });

  it('keeps only the most recent records beyond recordLimit, with exact counters', async () => {
    const upstream = await startUpstream({ recordLimit: 2 });
    for (let index = 0; index < 5; index += 1) await chat(upstream);
    const stats = upstream.stats();
    expect(stats.total).toBe(5);
    expect(stats.requests.map((record) => record.seq)).toEqual([4, 5]);
  });
});
