import { toAbortSignal, type Transport, type TransportResponse } from '@detour/core';

/** The platform fetch, or any function of its shape. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

// Wrapped, not stored: on Workers, calling a stored `fetch` as another object's method throws "Illegal invocation".
const platformFetch: FetchLike = (input, init) => fetch(input, init);

/**
 * Core's transport on the Web `fetch`: no Node APIs, so it runs on Workers, Vercel Edge, Deno and Bun. The body is
 * read through one reader, so cancelling it (the caller left, or the stream committed elsewhere) releases the
 * upstream connection rather than failing on a locked stream.
 */
export const createFetchTransport = (fetchImpl: FetchLike = platformFetch): Transport => async (request, signal) => {
  const response = await fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | undefined,
    // The engine's signals are light objects; fetch takes only a real AbortSignal.
    signal: toAbortSignal(signal),
    redirect: 'manual',
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const reader = response.body?.getReader();
  let released = false;
  const release = (reason?: unknown) => {
    if (released || !reader) return;
    released = true;
    reader.cancel(reason).catch(() => undefined);
  };
  const body: TransportResponse['body'] = {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Uint8Array>> {
        if (!reader || released) return { done: true, value: undefined };
        const { done, value } = await reader.read();
        return done ? { done: true, value: undefined } : { done: false, value };
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        release();
        return { done: true, value: undefined };
      },
    }),
  };
  // `Headers` yields its names lower case.
  return { status: response.status, headers, headersLowerCase: true, body, cancel: release };
};
