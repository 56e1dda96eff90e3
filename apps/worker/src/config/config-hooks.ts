// The code parts of the gateway config schema, as named functions: config-schema.ts runs them through zod, and the
// compiled rules (config-rules.ts) import them by these names.

/** The bodies of all requests in flight include any one of them, so their bound cannot be the smaller. */
export const inFlightCoversOneBody = (config: { readonly maxBodyBytes: number; readonly maxBodyBytesInFlight: number }): boolean =>
  config.maxBodyBytesInFlight >= config.maxBodyBytes;

/** A whole request includes its headers, so its deadline cannot come first. */
export const requestTimeoutCoversHeaders = (config: { readonly requestTimeoutMs: number; readonly headersTimeoutMs: number }): boolean =>
  config.requestTimeoutMs >= config.headersTimeoutMs;
