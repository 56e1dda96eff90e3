/** What a scrubber replaces every found secret with. */
export const redactedMarker = '[redacted]';

// Keys shorter than this would redact innocent text (a short header value, a model name); real credentials are long.
const minimumSecretLength = 8;

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

/** The literal spellings of the secrets, by their first `minimumSecretLength` characters, longest first. */
type LiteralIndex = Map<string, string[]>;

const indexLiterals = (literals: Iterable<string>): LiteralIndex => {
  const byPrefix: LiteralIndex = new Map();
  for (const literal of literals) {
    const prefix = literal.slice(0, minimumSecretLength);
    const list = byPrefix.get(prefix);
    if (list) list.push(literal);
    else byPrefix.set(prefix, [literal]);
  }
  // Longest first, so a secret that contains another is redacted whole.
  for (const list of byPrefix.values()) list.sort((left, right) => right.length - left.length);
  return byPrefix;
};

/**
 * Adds `[start, end)` of every occurrence of a literal in `text`, leftmost and longest first, to `found`, and of the
 * opening of one that the text ends inside (at least its first `minimumSecretLength` characters). A position
 * whose character starts no literal costs one read of `firsts`, a table by character code of the literals' first
 * characters (every header value of every answer is scanned, and a table read is several times cheaper than a set
 * lookup); a literal starting beyond code 127 marks 127, and then the characters themselves are compared.
 */
const findLiterals = (text: string, index: LiteralIndex, firsts: Uint8Array, found: number[]): void => {
  for (let at = 0; at <= text.length - minimumSecretLength; at += 1) {
    if (!firsts[Math.min(text.charCodeAt(at), 127)]) continue;
    const candidates = index.get(text.slice(at, at + minimumSecretLength));
    if (candidates === undefined) continue;
    const literal = candidates.find((candidate) => text.startsWith(candidate, at));
    if (literal === undefined) {
      // A text that ends inside a secret (an upstream's error body cut short, by it or by a length) leaves that
      // secret's opening: redacted as the secret would be. Candidates are longest first.
      if (text.length - at < candidates[0]!.length && candidates.some((candidate) => candidate.startsWith(text.slice(at)))) {
        found.push(at, text.length);
        return;
      }
      continue;
    }
    found.push(at, at + literal.length);
    at += literal.length - 1;
  }
};

/**
 * Every stretch of `minimumSecretLength` characters of each raw secret, by its text: where in which secret it stands
 * (`secret * placeSpan + offset`, a list where two secrets share it, as keys with a provider's prefix do), and a table by
 * a stretch's first two character codes, so a position that starts none costs one table read.
 */
// Offsets within one secret a place can name (2 MiB of characters: no credential is near it).
const placeSpan = 2 ** 21;

interface PieceIndex {
  readonly secrets: readonly string[];
  readonly at: Map<string, number | number[]>;
  readonly starts: Uint8Array;
}

// Whose pieces are redacted: a credential's characters are random, so any stretch of one is its own. A short or
// wordy value (an extra header's `openrouter`, `my-app-name`) is matched whole: its pieces are words other text has.
const pieceable = (secret: string): boolean => secret.length >= 16 && /\d/.test(secret) && /[A-Za-z]/.test(secret);

const pairCode = (text: string, at: number): number => (Math.min(text.charCodeAt(at), 255) << 8) | Math.min(text.charCodeAt(at + 1), 255);

const indexPieces = (secrets: readonly string[]): PieceIndex => {
  const at = new Map<string, number | number[]>();
  const starts = new Uint8Array(65_536);
  secrets.forEach((secret, number) => {
    for (let offset = 0; offset + minimumSecretLength <= secret.length && offset < placeSpan; offset += 1) {
      const piece = secret.slice(offset, offset + minimumSecretLength);
      const place = number * placeSpan + offset;
      const known = at.get(piece);
      at.set(piece, known === undefined ? place : Array.isArray(known) ? [...known, place] : [known, place]);
      starts[pairCode(secret, offset)] = 1;
    }
  });
  return { secrets, at, starts };
};

/**
 * Adds `[start, end)` of every stretch of the text that is `minimumSecretLength` or more characters of a secret, as
 * long as it runs: the whole secret, the opening a cut text ends inside, its last characters an upstream quotes
 * ("…Io1Pa3Sd0Fg"), or any middle piece. A piece of a key narrows what is left to guess; the redaction of a
 * provider's public prefix (`sk-proj-`) with it costs nothing.
 */
const findPieces = (text: string, index: PieceIndex, found: number[]): void => {
  for (let at = 0; at <= text.length - minimumSecretLength; at += 1) {
    if (!index.starts[pairCode(text, at)]) continue;
    const places = index.at.get(text.slice(at, at + minimumSecretLength));
    if (places === undefined) continue;
    let longest = 0;
    for (const place of Array.isArray(places) ? places : [places]) {
      const secret = index.secrets[Math.floor(place / placeSpan)]!;
      const offset = place % placeSpan;
      let length = minimumSecretLength;
      while (at + length < text.length && offset + length < secret.length && text.charCodeAt(at + length) === secret.charCodeAt(offset + length)) length += 1;
      longest = Math.max(longest, length);
    }
    found.push(at, at + longest);
    at += longest - 1;
  }
};

const anyEscape = /%[0-9a-f]{2}|\\u00[0-9a-f]{2}|\\\//i;
const escapeAt = /%([0-9a-f]{2})|\\u00([0-9a-f]{2})|\\(\/)/iy;

/**
 * The text with every percent escape (`%2D`), JSON `\u00XX` escape and JSON `\/` (PHP's and some Java encoders'
 * slash) decoded, in any mixture, and where each decoded character starts in the text it came from (`origin[k]`;
 * `origin[length]` is that text's end), mapped through `from` (where each character of that text started before).
 */
const decodeEscapes = (text: string, from?: readonly number[]): { decoded: string; origin: number[] } => {
  const origin: number[] = [];
  let decoded = '';
  for (let at = 0; at < text.length; ) {
    origin.push(from ? from[at]! : at);
    escapeAt.lastIndex = at;
    const match = escapeAt.exec(text);
    decoded += match ? (match[3] ?? String.fromCharCode(Number.parseInt(match[1] ?? match[2]!, 16))) : text[at];
    at = match ? escapeAt.lastIndex : at + 1;
  }
  origin.push(from ? from[text.length]! : text.length);
  return { decoded, origin };
};

// Escapes decoded over one another: `%252F` is `%2F` once decoded and `/` twice (a URL encoded into another's query).
const decodeRounds = 2;

/** Replaces the (possibly overlapping) stretches `[start, end)` in `found` with the marker, one per run. */
const redactStretches = (text: string, found: number[]): string => {
  const hidden = new Uint8Array(text.length);
  for (let index = 0; index < found.length; index += 2) hidden.fill(1, found[index], found[index + 1]);
  let out = '';
  for (let at = 0; at < text.length; ) {
    const from = at;
    const secret = hidden[at];
    while (at < text.length && hidden[at] === secret) at += 1;
    out += secret ? redactedMarker : text.slice(from, at);
  }
  return out;
};

/**
 * Builds a scrubber for upstream credentials: it replaces each secret found in a text with `[redacted]`, whether
 * the text carries it raw, percent-encoded (once or twice), JSON-escaped (`\u00XX`, `\/`; in any mixture) or
 * base64-encoded (standard or URL-safe, at any alignment), and, for a secret of 16 characters or more with letters
 * and digits, any piece of it of 8 characters or more (its last characters, a middle, an opening cut short) in the
 * first three spellings. Apply it to everything that leaves the process or goes to a shared store: relayed
 * bodies and headers, health views, logs, metric labels, stored reasons.
 *
 * Its cost grows with the text, not with the number of secrets: every spelling is looked up by its first
 * characters in one pass over the text (and one over its escapes decoded, when it has any). One expression with an
 * alternative per secret, as this was before, took 17.6 s for a 377 kB text with 3,000 keys.
 */
export const createSecretScrubber = (secrets: Iterable<string>): Scrub => {
  const raw: string[] = [];
  const literals: string[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < minimumSecretLength) continue;
    if (pieceable(secret)) raw.push(secret);
    else literals.push(secret);
    literals.push(...base64Forms(secret));
  }
  if (literals.length === 0) return (text) => text;
  const pieces = indexPieces(raw);
  const index = indexLiterals(literals);
  const firsts = new Uint8Array(128);
  for (const literal of literals) firsts[Math.min(literal.charCodeAt(0), 127)] = 1;
  const find = (text: string, found: number[]): void => {
    findPieces(text, pieces, found);
    findLiterals(text, index, firsts, found);
  };
  return (text) => {
    // Shorter than any secret: most header values (counts, durations) end here.
    if (text.length < minimumSecretLength) return text;
    const found: number[] = [];
    find(text, found);
    // Escapes start with `%` or `\`: a text with neither (nearly every one) skips the expression.
    let encoded = text;
    let from: number[] | undefined;
    for (let round = 0; round < decodeRounds && (encoded.includes('%') || encoded.includes('\\')) && anyEscape.test(encoded); round += 1) {
      const { decoded, origin } = decodeEscapes(encoded, from);
      const inDecoded: number[] = [];
      find(decoded, inDecoded);
      for (const at of inDecoded) found.push(origin[at]!);
      encoded = decoded;
      from = origin;
    }
    return found.length === 0 ? text : redactStretches(text, found);
  };
};

// Query values are credentials unless the name is a well-known public one, as with headers: Gemini's `?key=` says
// so, but Azure Functions' `?code=`, a SAS `sv`/`sig` pair or a relay's `?access=` do not. Azure's
// `api-version=2024-10-21` is no secret, and redacted it would hide every date like it in relayed text.
const publicQueryNames = new Set(['api-version', 'apiversion', 'version', 'alt', 'format']);
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
 * and their query values (but well-known public ones', such as `api-version`).
 */
export const endpointSecrets = (endpoints: readonly SecretBearingEndpoint[]): string[] => {
  const secrets = new Set<string>();
  for (const endpoint of endpoints) {
    if (endpoint.apiKey) secrets.add(endpoint.apiKey);
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      if (!publicHeaders.has(name.toLowerCase())) secrets.add(value);
    }
    for (const [name, value] of Object.entries(endpoint.query ?? {})) {
      if (!publicQueryNames.has(name.toLowerCase())) secrets.add(value);
    }
  }
  return [...secrets];
};
