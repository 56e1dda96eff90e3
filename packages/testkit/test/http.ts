// Small helpers for the socket-level tests: every test talks to a real upstream over 127.0.0.1.
import { afterEach } from 'vitest';
import { startChaosUpstream } from '../src/server';
import type { ChaosOptions, ChaosUpstream } from '../src/types';

const running: ChaosUpstream[] = [];

/** Starts an upstream that is closed after the current test. */
export async function startUpstream(options: ChaosOptions = {}): Promise<ChaosUpstream> {
  const upstream = await startChaosUpstream(options);
  running.push(upstream);
  return upstream;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.close()));
});

/** A chat request body with one user message. */
export function chatBody(extra: Record<string, unknown> = {}, content = 'Say hello.'): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra };
}

/** POSTs JSON to a path of the upstream. */
export function post(upstream: ChaosUpstream, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${upstream.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-0123456789' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
}

/** POSTs a chat completion request. */
export function chat(upstream: ChaosUpstream, extra: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  return post(upstream, '/v1/chat/completions', chatBody(extra), init);
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** Reads a body to the end, returning what arrived and the error that stopped it, if any. */
export async function readUntilEnd(response: Response): Promise<{ text: string; error?: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** The `code` of an undici network error, which sits on `cause` (sometimes one level deeper). */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Headers a Messages client sends: a key and the API version. */
export const ANTHROPIC_HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  'x-api-key': 'sk-ant-test-0123456789',
  'anthropic-version': '2023-06-01',
};

/** A Messages request body with one user message. */
export function messagesBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello.' }], ...extra };
}

/** The named events of an SSE body (`event:` line and parsed `data:` JSON), in order. */
export function namedEvents(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => {
      const [eventLine = '', dataLine = ''] = block.split('\n');
      return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) };
    });
}
