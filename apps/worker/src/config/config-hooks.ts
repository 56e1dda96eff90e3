// The code parts of the gateway config schema, as named functions: config-schema.ts runs them through zod, and the
// compiled rules (config-rules.ts) import them by these names.

/** A whole request includes its headers, so its deadline cannot come first. */
export const requestTimeoutCoversHeaders = (config: { readonly requestTimeoutMs: number; readonly headersTimeoutMs: number }): boolean =>
  config.requestTimeoutMs >= config.headersTimeoutMs;
