import type { StateStore } from '../ports/state-store';
import type { TransportRequest } from '../ports/transport';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, requestText, type ScriptedReply, type ScriptedTransport } from '../testing/scripted-transport';
import { createRouter, type Router } from './router';

// What the tests of holds that grow and their rechecks share (refusal-rechecks-*.test.ts): a router over endpoints
// whose answers a test decides, and requests it can hold back to have several in flight at once.

export const minute = 60_000;

/** OpenAI's spent balance. */
export const spent: ScriptedReply = {
  status: 429,
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
};

/** OpenAI's refusal of a model the project may not use. */
export const noAccess = (model: string): ScriptedReply => ({
  status: 403,
  body: { error: { message: `Project \`proj_abc\` does not have access to model \`${model}\``, type: 'invalid_request_error', param: null, code: 'model_not_found' } },
});

export const served: ScriptedReply = { body: chatCompletion('ok') };
export const serverError: ScriptedReply = { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } };
export const chat = (model = 'gpt-4.1') => ({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
export const modelOf = (request: TransportRequest) => (JSON.parse(requestText(request)) as { model: string }).model;

/** Lets every pending promise callback run: requests held back reach their transport. */
export const settle = async () => {
  for (let round = 0; round < 40; round += 1) await Promise.resolve();
};

/** A latch: requests wait on `wait()` until `open()`. */
export const latch = () => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => promise, open: () => open() };
};

type Handler = (request: TransportRequest) => ScriptedReply;

/**
 * A router over `endpoints` (a name, or a name and its models; the first tier first), each answering as `handlers`
 * says; `gate(request)` may hold a request back. `send` resolves to the endpoint that served, or
 * `failed:<code>:<reason>:<endpoints tried>`.
 */
export const buildRouter = (
  endpoints: readonly (string | { readonly name: string; readonly models?: string[] })[],
  handlers: Record<string, Handler>,
  opts: { clock?: FakeClock; gate?: (request: TransportRequest) => Promise<void> | undefined; options?: object; store?: StateStore } = {},
) => {
  const clock = opts.clock ?? createFakeClock();
  const named = endpoints.map((endpoint) => (typeof endpoint === 'string' ? { name: endpoint } : endpoint));
  const scripted: ScriptedTransport = createScriptedTransport(
    Object.fromEntries(named.map(({ name }) => [name, (request: TransportRequest) => handlers[name]!(request)])),
    { now: clock.now },
  );
  const calls: Record<string, number> = {};
  const transport = (async (request: TransportRequest, signal: Parameters<ScriptedTransport>[1]) => {
    calls[request.endpoint] = (calls[request.endpoint] ?? 0) + 1;
    const held = opts.gate?.(request);
    if (held) await held;
    return scripted(request, signal);
  }) as ScriptedTransport;
  const router: Router = createRouter(
    {
      endpoints: named.map(({ name, models }, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority, ...(models ? { models } : {}) })),
      rescue: 'off',
      ...(opts.options ?? {}),
    } as never,
    { transport, clock, sleep: clock.sleep, random: () => 0, ...(opts.store ? { store: opts.store } : {}) },
  );
  const disabledFor = async (name = 'a') => {
    const health = (await router.health()).find((endpoint) => endpoint.name === name)!;
    return health.disabledUntil > clock.now() ? health.disabledUntil - clock.now() : 0;
  };
  const failure = (error: { code?: string; reason?: string; attempts?: { endpoint: string }[] }) =>
    `failed:${error?.code}:${error?.reason}:${(error?.attempts ?? []).map((attempt) => attempt.endpoint).join(',')}`;
  const send = (request: { path: string; body: string }) => router.send(request).then((result) => result.endpoint, failure);
  return { router, clock, calls: (name: string) => calls[name] ?? 0, disabledFor, send };
};
