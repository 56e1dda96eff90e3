import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';
import { gatewayKey, hostileRequests } from './fuzz/hostile-requests';
import { sendRaw, type RawResponse } from './fuzz/raw-http';

// Statuses Detour answers with itself, each with an OpenAI-style JSON error body (Anthropic's on /v1/messages*, with
// `x-detour-error`); 502/503/504 only with
// `x-detour-error` (upstream trouble). A healthy testkit upstream is behind it, so a relayed upstream error can only
// be a 4xx about the request.
const refusals = new Set([400, 401, 404, 405, 413, 415, 422, 429]);
const upstreamTrouble = new Set([502, 503, 504]);

let upstream: ChaosUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startChaosUpstream({ name: 'fuzz', completionTokens: 4 });
  const config = loadConfig(
    {
      endpoints: [
        { name: 'fuzz', baseUrl: upstream.baseUrl, apiKey: 'sk-fuzz-upstream-key-0123' },
        { name: 'fuzz-anthropic', provider: 'anthropic', baseUrl: upstream.baseUrl, apiKey: 'sk-fuzz-upstream-key-4567' },
      ],
      gatewayKeys: [gatewayKey],
      // A small limit, so the fuzz reaches the 413 path without sending megabytes.
      maxBodyBytes: 64 * 1024,
      router: { deadlineMs: 5000 },
    },
    {},
  );
  gateway = await startGateway({ config });
});

afterAll(async () => {
  await gateway?.close(0);
  await upstream?.close();
});

const errorCode = (response: RawResponse): unknown => {
  try {
    const body = JSON.parse(response.body) as { type?: unknown; error?: { code?: unknown; type?: unknown } };
    // Anthropic's shape has no code: its error type stands in, and Detour's own refusals say theirs in x-detour-error.
    if (body.type === 'error' && typeof body.error?.type === 'string') return response.headers['x-detour-error'] ?? (response.headers['x-detour-endpoint'] ? null : undefined);
    return body.error?.code;
  } catch {
    return undefined;
  }
};

/** Why a response breaks the contract, or undefined when it keeps it. */
const contractBreach = (response: RawResponse, method: string, framing: string): string | undefined => {
  const { status } = response;
  // A client that promises more body than it sends and then hangs up may get no answer at all: there is nobody
  // left to answer. Every other request gets a status.
  if (status === undefined) return framing === 'longer' ? undefined : 'no response';
  // Node's own HTTP parser refuses broken framing (`content-length: 12abc`, oversized heads) before Detour runs,
  // with an empty body and a closed connection.
  if ((status === 400 || status === 431) && response.body === '' && response.headers.connection === 'close' && response.headers['x-detour-error'] === undefined) {
    return undefined;
  }
  if (status >= 200 && status < 300) {
    if (method === 'HEAD') return undefined;
    if (response.body === '') return `${status} with an empty body`;
    if (response.headers['content-type']?.includes('text/event-stream')) {
      // Chat's streams end with [DONE], the Responses API's with response.completed, Messages' with message_stop.
      const ended = /data: \[DONE\]\s*$|event: (response\.completed|message_stop)\ndata: [^\n]*\s*$/.test(response.body);
      return ended ? undefined : `${status} stream without its terminal event`;
    }
    if (response.headers['content-type']?.includes('application/json')) {
      try {
        JSON.parse(response.body);
      } catch {
        return `${status} JSON that does not parse`;
      }
    }
    return undefined;
  }
  if (refusals.has(status)) {
    if (method === 'HEAD') return undefined;
    const code = errorCode(response);
    // Detour's own refusals carry a string code; an upstream's relayed 4xx keeps the provider's body, whose code
    // OpenAI sometimes leaves null.
    if (typeof code === 'string') return undefined;
    if (code === null && response.headers['x-detour-endpoint'] !== undefined) return undefined;
    return `${status} without a string error.code: ${response.body.slice(0, 200)}`;
  }
  if (upstreamTrouble.has(status) && response.headers['x-detour-error'] !== undefined) return undefined;
  return `undocumented status ${status}: ${response.body.slice(0, 200)}`;
};

describe('the gateway facing hostile requests', () => {
  it('answers every request with a defined refusal or a served answer, never its own 5xx', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequests, async (request) => {
        const response = await sendRaw(gateway.url, request);
        const label = `${response.status ?? 'none'}${response.headers['x-detour-error'] ? ` ${response.headers['x-detour-error']}` : ''}`;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        const breach = contractBreach(response, request.method, request.framing);
        if (breach) throw new Error(`${request.method} ${request.path.slice(0, 100)} (${request.framing}): ${breach}`);
      }),
      { seed: 20_261_201, numRuns: 400, endOnFailure: true },
    );
    // The generators must reach every door, or a green run proves little.
    const statuses = [...seen.keys()].map((label) => label.split(' ')[0]);
    for (const status of ['200', '400', '401', '404', '413']) expect(statuses, JSON.stringify([...seen])).toContain(status);
  }, 60_000);

  it('still answers /healthz and a normal request afterwards', async () => {
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    const answer = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { choices: unknown[] }).choices).toHaveLength(1);
  });
});
