import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInstanceState } from './instance-state';
import { handleRequest } from './request-handler';
import { parseOptionsFile, parseScript } from './script/parse-script';
import type { ChaosOptions, ChaosUpstream, FaultRule } from './types';

/**
 * Starts an upstream on a real socket that speaks OpenAI's Chat Completions and Responses APIs and Anthropic's
 * Messages API, and misbehaves on command: provider-accurate 429s, 5xx, slow or cut streams, mid-stream error
 * events, resets, hangs, latency and an honest rate limiter.
 *
 * @param options validated at once; a bad script throws `InvalidScriptError` naming the path
 * @example
 * const primary = await startChaosUpstream({ name: 'primary', script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai' } }] });
 * const client = new OpenAI({ baseURL: primary.baseUrl, apiKey: 'test', maxRetries: 0 });
 * // …
 * await primary.close();
 */
export async function startChaosUpstream(options: ChaosOptions = {}): Promise<ChaosUpstream> {
  const { now, ...fileFields } = options;
  const validated: ChaosOptions = { ...parseOptionsFile(fileFields), now };
  const state = createInstanceState(validated);
  const server = createServer((request, response) => handleRequest(state, request, response));
  const host = validated.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(validated.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url,
    baseUrl: `${url}/v1`,
    name: state.name,
    setScript(rules: FaultRule[]): void {
      state.script = parseScript(rules);
      state.scriptSeq = 0;
      state.scriptStartedAt = state.now();
    },
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    requestsBetween: (fromMs, toMs) => state.stats.between(fromMs, toMs),
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        state.closing = true;
        server.close((error) => (error ? reject(error) : resolve()));
        // Open streams, slow answers and hung requests hold their sockets: end them rather than wait for them.
        server.closeAllConnections();
        state.delays.cancelAll();
      });
      return closed;
    },
  };
}
