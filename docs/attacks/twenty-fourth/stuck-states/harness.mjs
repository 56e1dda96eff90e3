// Shared harness: core router on a fake clock, with a simulated provider.
import { createRouter, DetourError } from '../packages/core/dist/index.js';
import { createFakeClock, createScriptedTransport, chatCompletion } from '../packages/core/dist/testing.js';

export { createRouter, DetourError, createFakeClock, createScriptedTransport, chatCompletion };

export const chat = (extra = {}) => ({
  path: '/chat/completions',
  headers: { 'content-type': 'application/json', authorization: 'Bearer caller' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 10, ...extra }),
});
export const endpoint = (name, extra = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });

const ticks = async (n = 30) => { for (let i = 0; i < n; i += 1) await Promise.resolve(); };

/**
 * Drives open-loop load: one request every `spacingMs`, time moving in `stepMs` steps. Returns outcomes.
 * `onTick(now)` lets a scenario change the world.
 */
export const drive = async ({ clock, router, durationMs, spacingMs, stepMs = 10, request = () => chat(), onTick }) => {
  const outcomes = [];
  const pending = [];
  const start = clock.now();
  let nextAt = start;
  while (clock.now() - start < durationMs) {
    onTick?.(clock.now());
    while (nextAt <= clock.now()) {
      const t0 = clock.now();
      pending.push(router.send(request()).then(
        (r) => { outcomes.push({ start: t0, end: clock.now(), ok: true, endpoint: r.endpoint, attempts: r.attempts?.length }); },
        (e) => { outcomes.push({ start: t0, end: clock.now(), ok: false, code: DetourError.isInstance(e) ? e.code : String(e?.message ?? e) }); },
      ));
      nextAt += spacingMs;
      await ticks();
    }
    clock.advance(stepMs);
    await ticks();
  }
  // drain
  for (let i = 0; i < 2000 && outcomes.length < pending.length; i += 1) { clock.advance(stepMs); await ticks(); }
  return outcomes;
};

/** Buckets outcomes by `binMs` from `origin`. */
export const bins = (outcomes, origin, binMs) => {
  const out = new Map();
  for (const o of outcomes) {
    const k = Math.floor((o.start - origin) / binMs);
    const b = out.get(k) ?? { ok: 0, fail: 0, codes: {}, endpoints: {} };
    if (o.ok) { b.ok += 1; b.endpoints[o.endpoint] = (b.endpoints[o.endpoint] ?? 0) + 1; }
    else { b.fail += 1; b.codes[o.code] = (b.codes[o.code] ?? 0) + 1; }
    out.set(k, b);
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]);
};

/** A provider-side requests-per-minute token bucket. */
export const providerBucket = (clock, limit) => {
  let level = limit; let at = clock.now(); let cap = limit;
  return {
    setLimit(l) { cap = l; },
    get limit() { return cap; },
    take() {
      const now = clock.now();
      level = Math.min(cap, level + (cap / 60000) * (now - at)); at = now;
      if (level >= 1) { level -= 1; return { ok: true, remaining: Math.floor(level), resetMs: Math.ceil((cap - level) / (cap / 60000)) }; }
      return { ok: false, remaining: 0, resetMs: Math.ceil((1 - level) / (cap / 60000)) };
    },
  };
};

/** A transport whose replies take `latencyMs` of fake-clock time (concurrency-safe: uses clock.schedule). */
export const delayedTransport = (clock, replyOf) => {
  const enc = new TextEncoder();
  const calls = [];
  const t = (request, signal) => {
    const reply = replyOf(request.endpoint, request);
    calls.push({ endpoint: request.endpoint, at: clock.now() });
    return new Promise((resolve, reject) => {
      if (reply.hang) { signal.addEventListener('abort', () => reject(signal.reason), { once: true }); return; }
      const h = clock.schedule(() => {
        if (signal.aborted) return reject(signal.reason);
        if (reply.error) return reject(reply.error);
        const text = JSON.stringify(reply.body ?? chatCompletion('ok'));
        resolve({ status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...(reply.headers ?? {}) },
          body: { async *[Symbol.asyncIterator]() { yield enc.encode(text); } }, cancel: () => undefined });
      }, reply.latencyMs ?? 0);
      signal.addEventListener('abort', () => { clock.cancel(h); reject(signal.reason); }, { once: true });
    });
  };
  t.calls = calls;
  return t;
};
