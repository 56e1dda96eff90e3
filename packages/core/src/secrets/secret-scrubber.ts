/** What a scrubber replaces every found secret with. */
export const redactedMarker = '[redacted]';

// Keys shorter than this would redact innocent text (a short header value, a model name); real credentials are long.
const minimumSecretLength = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const hexAlternatives = (hex: string) =>
  [...hex].map((digit) => (/[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit)).join('');

/**
 * One character of a secret as an upstream may spell it: itself, percent-encoded (`%2D`, URL query echoes), or as a
 * JSON `\u002d` escape — in any mixture, since encoders escape different characters.
 */
const characterPattern = (character: string): string => {
  const code = character.charCodeAt(0);
  const literal = escapeRegExp(character);
  if (code > 0xff) return literal;
  const hex = code.toString(16).padStart(2, '0');
  // Encoded spellings first: a literal `%` or `\` must not win over the escape that starts with it.
  return `(?:%${hexAlternatives(hex)}|\\\\u00${hexAlternatives(hex)}|${literal})`;
};

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of a byte string (core has no `btoa` or `Buffer` to lean on in every runtime). */
const toBase64 = (bytes: Uint8Array): string => {
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[index], bytes[index + 1], bytes[index + 2]];
    const triple = (a << 16) | (b << 8) | c;
    const left = bytes.length - index;
    out += base64Alphabet[(triple >> 18) & 63]! + base64Alphabet[(triple >> 12) & 63]!;
    out += left > 1 ? base64Alphabet[(triple >> 6) & 63]! : '';
    out += left > 2 ? base64Alphabet[triple & 63]! : '';
  }
  return out;
};

/**
 * The stretches of base64 that a secret always produces wherever it sits in a longer encoded text: one per byte
 * alignment (0, 1 or 2 bytes before it), without the characters its neighbours also feed. Standard and URL-safe.
 */
const base64Forms = (secret: string): string[] => {
  const bytes = new TextEncoder().encode(secret);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded);
    // Characters that mix the neighbours' bits in: the first (offset ? 2 : 0) and a possibly partial last one.
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    const end = Math.floor((padded.length * 8) / 6);
    const stable = encoded.slice(start, end);
    if (stable.length >= minimumSecretLength) forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
};

/** Removes secrets from text. */
export type Scrub = (text: string) => string;

/**
 * Builds a scrubber for upstream credentials: it replaces each secret found in a text with `[redacted]`, whether
 * the text carries it raw, percent-encoded, JSON-`\u`-escaped (in any mixture) or base64-encoded (standard or
 * URL-safe, at any alignment). Apply it to everything that leaves the process or goes to a shared store: relayed
 * bodies and headers, health views, logs, metric labels, stored reasons.
 *
 * One compiled expression serves every secret, so a text with nothing to scrub costs a single scan.
 */
export const createSecretScrubber = (secrets: Iterable<string>): Scrub => {
  const alternatives: string[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < minimumSecretLength) continue;
    alternatives.push([...secret].map(characterPattern).join(''));
    for (const form of base64Forms(secret)) alternatives.push(escapeRegExp(form));
  }
  if (alternatives.length === 0) return (text) => text;
  // Longest first, so a secret that contains another is redacted whole.
  alternatives.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (text) => {
    pattern.lastIndex = 0;
    return pattern.test(text) ? text.replace(pattern, redactedMarker) : text;
  };
};

// Query names that carry credentials (Gemini's `?key=`, signed URLs); other query values such as Azure's
// `api-version=2024-10-21` are not secrets and must not be redacted wherever they appear.
const secretName = /key|token|secret|auth|sig|cookie|pass|cred|session|bearer|private/i;
// Extra headers are credentials unless they are one of the well-known public ones: a custom header's name says
// nothing reliable (`x-credential`, `x-pass` carried keys), and redacting a public value costs little, where
// missing a key leaks it. `anthropic-version: 2023-06-01` and the like stay readable.
const publicHeaders = new Set([
  'accept', 'accept-language', 'anthropic-beta', 'anthropic-version', 'content-type', 'http-referer', 'openai-beta',
  'openai-organization', 'openai-project', 'referer', 'user-agent', 'x-title',
]);

/** What {@link endpointSecrets} reads of an endpoint. */
export interface SecretBearingEndpoint {
  readonly apiKey?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly query?: Readonly<Record<string, string>> | undefined;
}

/**
 * Every credential endpoints send upstream: their keys, their extra header values (but well-known public headers')
 * and their secret-looking query values.
 */
export const endpointSecrets = (endpoints: readonly SecretBearingEndpoint[]): string[] => {
  const secrets = new Set<string>();
  for (const endpoint of endpoints) {
    if (endpoint.apiKey) secrets.add(endpoint.apiKey);
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      if (!publicHeaders.has(name.toLowerCase())) secrets.add(value);
    }
    for (const [name, value] of Object.entries(endpoint.query ?? {})) {
      if (secretName.test(name)) secrets.add(value);
    }
  }
  return [...secrets];
};
