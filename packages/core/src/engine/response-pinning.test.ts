import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import { errorResponse } from '../fetch/error-response';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { TransportRequest } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type ScriptedReply, requestText } from '../testing/scripted-transport';
import { createRouter } from './router';

const rateLimited: ScriptedReply = {
  status: 429,
  headers: { 'retry-after': '30', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' },
  body: { error: { message: 'Rate limit reached.', type: 'requests', code: 'rate_limit_exceeded' } },
};
const notFound: ScriptedReply = { status: 404, body: { error: { message: 'No response found.', type: 'invalid_request_error', code: null } } };
const responseObject = (id: string, extra: Record<string, unknown> = {}) => ({
  id, object: 'response', status: 'completed', model: 'gpt-4.1', output: [], usage: { input_tokens: 5, output_tokens: 2 }, ...extra,
});

const bodyOf = (request: TransportRequest): Record<string, unknown> =>
  request.body === undefined ? {} : (JSON.parse(requestText(request)) as Record<string, unknown>);
const pathOf = (request: TransportRequest) => new URL(request.url).pathname.replace(/^\/v1/, '');

/** What one endpoint does: answers creations with `resp_<endpoint>_<n>`, and the rest as the test says. */
interface Behaviour {
  /** Ids this endpoint's storage holds (GET /responses/{id} answers 200). */
  holds?: string[];
  /** Answer to continuations and /responses/{id} requests (after the lookup). */
  continuation?: ScriptedReply;
  /** Answer to lookups (GET): overrides `holds`. */
  lookup?: ScriptedReply;
  /** Extra fields of the Response objects it creates. */
  created?: Record<string, unknown>;
}

const script = (name: string, behaviour: Behaviour) => (request: TransportRequest, count: number): ScriptedReply => {
  const path = pathOf(request);
  const id = /^\/responses\/([^/]+)/.exec(path)?.[1];
  const stored = /^\/(responses|conversations)\/([^/]+)/.exec(path)?.[2];
  if (request.method === 'GET' && stored !== undefined) {
    if (behaviour.lookup) return behaviour.lookup;
    return behaviour.holds?.includes(decodeURIComponent(stored)) ? { body: responseObject(stored) } : notFound;
  }
  const body = bodyOf(request);
  if (id !== undefined || body.previous_response_id !== undefined || body.conversation !== undefined) {
    return behaviour.continuation ?? { body: responseObject(`resp_${name}_${count}`) };
  }
  return { body: responseObject(`resp_${name}_${count}`, behaviour.created) };
};

const setup = (endpoints: RouterOptionsInput['endpoints'], behaviours: Record<string, Behaviour>) => {
  const clock = createFakeClock();
  const scripts = Object.fromEntries(endpoints.map((endpoint) => [endpoint.name, script(endpoint.name, behaviours[endpoint.name] ?? {})]));
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter({ endpoints, maxServerDelayMs: 0 }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { clock, transport, router };
};

// Two keys of one OpenAI project share storage `proj-a`; `b` is another project, healthy, and a tier below.
const fleet: RouterOptionsInput['endpoints'] = [
  { name: 'a1', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-a1', storage: 'proj-a' },
  { name: 'a2', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-a2', storage: 'proj-a', priority: 1 },
  { name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b', priority: 2 },
];

const create = (extra: Record<string, unknown> = {}) => ({ path: '/responses', body: JSON.stringify({ model: 'gpt-4.1', input: 'hello', ...extra }) });
const continueFrom = (id: string) => create({ previous_response_id: id, input: 'and then?' });
const served = async (result: { body: Uint8Array | undefined }) => JSON.parse(new TextDecoder().decode(result.body)) as { id: string };

describe('stored responses are pinned to the storage that holds them', () => {
  it('a continued stored response never reaches an endpoint that does not hold it, even with 429s on the holder', async () => {
    const { router, transport } = setup(fleet, { a1: { continuation: rateLimited }, a2: { continuation: rateLimited } });
    const first = await router.send(create());
    expect(first.endpoint).toBe('a1');
    const { id } = await served(first);

    const error = await router.send(continueFrom(id)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    expect((error as AttemptsExhaustedError).attempts.map((attempt) => attempt.endpoint)).toEqual(['a1', 'a2']);
    expect(transport.callsTo('b')).toHaveLength(0);
    // The caller hears the holder's 429, with when to come back.
    const response = errorResponse(error);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);

    // Both keys now cool: the next continuation fails fast with a 503 and Retry-After, still never on `b`.
    const cooling = await router.send(continueFrom(id)).catch((caught: unknown) => caught);
    expect(cooling).toBeInstanceOf(NoEndpointAvailableError);
    expect(errorResponse(cooling).status).toBe(503);
    expect(errorResponse(cooling).headers.get('retry-after')).not.toBeNull();
    expect(transport.callsTo('b')).toHaveLength(0);
    // A fresh request is not pinned: it goes to `b` while the project cools.
    expect((await router.send(create())).endpoint).toBe('b');
  });

  it('fails over a continuation to another key of the same storage', async () => {
    const { router } = setup(fleet, { a1: { continuation: rateLimited } });
    const { id } = await served(await router.send(create()));
    const result = await router.send(continueFrom(id));
    expect(result.attempts.map((attempt) => attempt.endpoint)).toEqual(['a1', 'a2']);
    expect(result.endpoint).toBe('a2');
  });

  it('sends GET, DELETE and cancel of /responses/{id} to the holder only', async () => {
    const { router, transport } = setup(
      [{ name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b' }, { name: 'a1', baseUrl: 'https://a.example/v1', apiKey: 'sk-a1', priority: 1 }],
      { b: { continuation: rateLimited } },
    );
    const first = await router.send(create());
    const { id } = await served(first);
    expect(first.endpoint).toBe('b');
    for (const request of [
      { method: 'GET', path: `/responses/${id}` },
      { method: 'GET', path: `/responses/${id}/input_items?limit=2` },
      { method: 'POST', path: `/responses/${id}/cancel` },
      { method: 'DELETE', path: `/responses/${id}` },
    ]) {
      await expect(router.send(request)).rejects.toBeInstanceOf(DetourError);
    }
    expect(transport.callsTo('a1')).toHaveLength(0);
  });

  it("learns a streamed response's id from its first event", async () => {
    const clock = createFakeClock();
    const created = 'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_streamed","status":"in_progress"}}\n\n';
    const completed = 'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_streamed","status":"completed","usage":{"input_tokens":1,"output_tokens":1}}}\n\n';
    const transport = createScriptedTransport(
      {
        a1: (request) => (bodyOf(request).previous_response_id ? rateLimited : { events: [created, completed] }),
        a2: (request) => (bodyOf(request).previous_response_id ? { body: responseObject('resp_next') } : { events: [created, completed] }),
        b: [{ body: responseObject('resp_b') }],
      },
      { now: clock.now, advance: clock.advance },
    );
    const router = createRouter({ endpoints: fleet, maxServerDelayMs: 0 }, { transport, clock, sleep: clock.sleep });
    const streamed = await router.send(create({ stream: true }));
    for await (const _chunk of streamed.stream!) {
      // drain
    }
    const result = await router.send(continueFrom('resp_streamed'));
    expect(result.endpoint).toBe('a2');
    expect(transport.callsTo('b')).toHaveLength(0);
    expect(transport.calls.filter((call) => call.request.method === 'GET')).toHaveLength(0);
  });

  it('learns the conversation a response was added to', async () => {
    const { router, transport } = setup(fleet, {});
    await router.send(create({ conversation: 'conv_1' })).catch(() => undefined);
    const lookups = transport.calls.filter((call) => call.request.method === 'GET').map((call) => `${call.request.endpoint} ${pathOf(call.request)}`);
    // Unknown before: looked up on proj-a (404), then b (404): not found.
    expect(lookups).toEqual(['a1 /conversations/conv_1', 'b /conversations/conv_1']);

    // A served answer that names its conversation pins it: the next request in it goes to a1 without a lookup.
    const { router: learning, transport: seen } = setup(fleet, { a1: { created: { conversation: { id: 'conv_2' } } } });
    await learning.send(create());
    const next = await learning.send(create({ conversation: { id: 'conv_2' } }));
    expect(next.endpoint).toBe('a1');
    expect(seen.calls.filter((call) => call.request.method === 'GET')).toHaveLength(0);
  });
});

describe('an id this router has not seen is looked up', () => {
  it('asks each storage in priority order with GET /responses/{id} and its own key, then pins the holder', async () => {
    const { router, transport } = setup(fleet, { a1: { holds: [] }, b: { holds: ['resp_elsewhere'] } });
    const result = await router.send(continueFrom('resp_elsewhere'));
    expect(result.endpoint).toBe('b');
    const lookups = transport.calls.filter((call) => call.request.method === 'GET');
    expect(lookups.map((call) => [call.request.endpoint, call.request.url, call.request.headers.authorization, call.request.body])).toEqual([
      ['a1', 'https://api.openai.com/v1/responses/resp_elsewhere', 'Bearer sk-a1', undefined],
      ['b', 'https://b.example/v1/responses/resp_elsewhere', 'Bearer sk-b', undefined],
    ]);
    // A 404 on one key of proj-a ruled the whole storage out: a2 was not asked.
    expect(transport.callsTo('a2')).toHaveLength(0);
    // Pinned: the next continuation asks no one.
    await router.send(continueFrom('resp_elsewhere'));
    expect(transport.calls.filter((call) => call.request.method === 'GET')).toHaveLength(2);
  });

  it('asks the next key of a storage when one cannot answer the lookup', async () => {
    const { router, transport } = setup(fleet, { a1: { lookup: rateLimited }, a2: { holds: ['resp_old'] } });
    const result = await router.send(continueFrom('resp_old'));
    expect(['a1', 'a2']).toContain(result.endpoint);
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it('answers response_not_found (404) when no storage holds the id', async () => {
    const { router, transport } = setup(fleet, {});
    const error = await router.send(continueFrom('resp_nowhere')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'response_not_found' });
    expect(errorResponse(error).status).toBe(404);
    // Only lookups were sent, never the continuation itself.
    expect(transport.calls.every((call) => call.request.method === 'GET')).toBe(true);
  });

  it('answers 503 rather than 404 when a storage could not say', async () => {
    const { router } = setup(fleet, { a1: { lookup: rateLimited }, a2: { lookup: rateLimited } });
    const error = await router.send(continueFrom('resp_maybe')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoEndpointAvailableError);
    expect(errorResponse(error).status).toBe(503);
  });

  it('bounds a lookup that never answers by attemptTimeoutMs, then asks the next storage', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport(
      {
        a1: (request) => (request.method === 'GET' ? { hang: true } : { body: responseObject('resp_a1') }),
        a2: () => notFound,
        b: (request) => ({ body: responseObject(request.method === 'GET' ? 'resp_slow' : 'resp_next') }),
      },
      { now: clock.now, advance: clock.advance },
    );
    const router = createRouter({ endpoints: fleet, attemptTimeoutMs: 5000 }, { transport, clock, sleep: clock.sleep });
    const pending = router.send(continueFrom('resp_slow'));
    await vi.waitFor(() => expect(transport.calls).toHaveLength(1));
    clock.advance(5000);
    const result = await pending;
    expect(result.endpoint).toBe('b');
    expect(transport.calls.map((call) => `${call.request.method} ${call.request.endpoint}`)).toEqual(['GET a1', 'GET a2', 'GET b', 'POST b']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses an id that cannot be one without asking anyone', async () => {
    const { router, transport } = setup(fleet, {});
    await expect(router.send(continueFrom('x'.repeat(5000)))).rejects.toMatchObject({ code: 'response_not_found' });
    expect(transport.calls).toHaveLength(0);
  });

  it('does not pin a response created with store: false', async () => {
    const { router, transport } = setup(fleet, {});
    const { id } = await served(await router.send(create({ store: false })));
    await router.send(continueFrom(id)).catch(() => undefined);
    expect(transport.calls.some((call) => call.request.method === 'GET')).toBe(true);
  });
});

describe('pinning (property)', () => {
  const replies = fc.constantFrom<ScriptedReply | undefined>(undefined, rateLimited, { status: 500, body: { error: { message: 'boom', type: 'server_error' } } }, notFound);

  it('sends every continuation only to endpoints of the storage that served the original, whatever they answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ storage: fc.constantFrom('s1', 's2', 's3'), priority: fc.nat(2), continuation: replies }), { minLength: 1, maxLength: 6 }),
        fc.nat(5),
        async (specs, continuations) => {
          const endpoints = specs.map((spec, index) => ({ name: `e${index}`, baseUrl: `https://e${index}.example/v1`, apiKey: `sk-${index}`, storage: spec.storage, priority: spec.priority }));
          const behaviours = Object.fromEntries(specs.map((spec, index) => [`e${index}`, { continuation: spec.continuation }]));
          const { router, transport } = setup(endpoints, behaviours);
          const first = await router.send(create());
          const { id } = await served(first);
          const holder = endpoints.find((endpoint) => endpoint.name === first.endpoint)!.storage;
          const before = transport.calls.length;
          for (let index = 0; index <= continuations; index += 1) await router.send(continueFrom(id)).catch(() => undefined);
          for (const call of transport.calls.slice(before)) {
            expect(endpoints.find((endpoint) => endpoint.name === call.request.endpoint)!.storage).toBe(holder);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
