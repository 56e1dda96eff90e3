import { windowFilter } from './window-filter';

/** What a scrubber replaces every found secret with. */
export const redactedMarker = '[redacted]';

// Keys shorter than this would redact innocent text (a short header value, a model name); real credentials are long.
const minimumSecretLength = 8;

/**
 * The stretches of base64 that a secret always produces wherever it sits in a longer encoded text: one per byte
 * alignment (0, 1 or 2 bytes before it), without the characters its neighbours also feed. Standard and URL-safe.
 */
const base64Forms = (secret: string): string[] => {
  // The secret's UTF-8 bytes as a byte string, which `btoa` (in every runtime core runs in) encodes.
  let bytes = '';
  for (const byte of new TextEncoder().encode(secret)) bytes += String.fromCharCode(byte);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    // Without the characters that mix the neighbours' bits in: the first `offset + 1` (none at 0) and a partial last.
    const stable = btoa('\0'.repeat(offset) + bytes).slice(offset === 0 ? 0 : offset + 1, Math.floor(((offset + bytes.length) * 8) / 6));
    if (stable.length >= minimumSecretLength) forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
};

/** Removes secrets from text. */
export type Scrub = (text: string) => string;

/**
 * The literal spellings of the secrets by their first `minimumSecretLength` characters: their lengths (longest
 * first, so a secret that contains another is redacted whole) and the spellings themselves. Thousands of keys of
 * one provider share an opening (`sk-ant-api03-`, and their base64 forms theirs): one lookup per length, not a
 * comparison per key, keeps a text that repeats the opening as cheap as any other.
 */
interface LiteralsByOpening {
  readonly lengths: number[];
  readonly spellings: Set<string>;
}
type LiteralIndex = Map<string, LiteralsByOpening>;

const indexLiterals = (literals: Iterable<string>): LiteralIndex => {
  const byOpening: LiteralIndex = new Map();
  for (const literal of literals) {
    const opening = literal.slice(0, minimumSecretLength);
    let entry = byOpening.get(opening);
    if (!entry) byOpening.set(opening, (entry = { lengths: [], spellings: new Set() }));
    entry.spellings.add(literal);
    if (!entry.lengths.includes(literal.length)) entry.lengths.push(literal.length);
  }
  for (const entry of byOpening.values()) entry.lengths.sort((left, right) => right - left);
  return byOpening;
};

/** Whether the text ends inside one of the spellings (it is that spelling's opening, cut short). */
const endsInside = (rest: string, entry: LiteralsByOpening): boolean => {
  if (rest.length >= entry.lengths[0]!) return false;
  for (const spelling of entry.spellings) if (spelling.startsWith(rest)) return true;
  return false;
};

/**
 * Adds `[start, end)` of every occurrence of a literal in `text`, leftmost and longest first, to `found`, and of the
 * opening of one that the text ends inside (at least its first `minimumSecretLength` characters). Only the positions
 * in `starts` (those whose stretch may be an opening or a piece, in order) are looked at: no other can open one.
 */
const findLiterals = (text: string, starts: readonly number[], index: LiteralIndex, found: number[]): void => {
  let next = 0;
  for (const at of starts) {
    if (at < next) continue;
    const entry = index.get(text.slice(at, at + minimumSecretLength));
    if (entry === undefined) continue;
    const length = entry.lengths.find((candidate) => entry.spellings.has(text.slice(at, at + candidate)));
    if (length === undefined) {
      // A text that ends inside a secret (an upstream's error body cut short, by it or by a length) leaves that
      // secret's opening: redacted as the secret would be. Checked once, at the first opening that is not whole.
      if (endsInside(text.slice(at), entry)) {
        found.push(at, text.length);
        return;
      }
      continue;
    }
    found.push(at, at + length);
    next = at + length;
  }
};

/**
 * Every stretch of `minimumSecretLength` characters of each random secret, and whether it is its own (true) or lies
 * (but for up to three characters) in the public opening a provider gives all its keys (`sk-proj-`, `sk-ant-api03-`):
 * such a piece is redacted only as part of a longer run of the key, so "keys start with sk-proj-" in an answer stays.
 */
type PieceIndex = Map<string, boolean>;

// Whose pieces are redacted: a credential's characters are random, so any stretch of one is its own. A value made of
// words and dates (an extra header's `2024-10-01-preview`, an `apiKey` of `not-needed-for-local-vllm`) is matched
// whole: its pieces are words other text has. Random means a run of 12 or more letters and digits, mixing at least two
// of lower case, upper case and digits: every provider's key has one (hex, base64, base62, a UUID's last group).
const hasRandomRun = (value: string): boolean =>
  (value.match(/[A-Za-z0-9]{12,}/g) ?? []).some((run) => Number(/[a-z]/.test(run)) + Number(/[A-Z]/.test(run)) + Number(/\d/.test(run)) >= 2);
const pieceable = (secret: string): boolean => secret.length >= 16 && hasRandomRun(secret);

// A provider's public opening: lower-case words, perhaps with a version number, each closed by `-` or `_`.
const publicOpening = /^(?:[a-z]+[0-9]*[-_])+/;
// A JSON Web Token's header and claims are base64 of JSON that other tokens share (every HS256 token opens
// `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.`, and `eyJzdWIi` is `{"sub"`): only its signature, past the second dot, is
// its own. Its pieces elsewhere redacted the opening of any token an answer showed (jwt.io's example).
const tokenClaims = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\./;
const openingLength = (secret: string): number => (tokenClaims.exec(secret) ?? publicOpening.exec(secret))?.[0].length ?? 0;
// How many characters past the opening a piece needs to be a key's own. With thousands of keys, `sk-proj-` and any
// next character is some key's piece, and "sk-proj-s" in an answer is no quote; four characters of one are.
const ownCharacters = 4;

const indexPieces = (secrets: readonly string[]): PieceIndex => {
  const own: PieceIndex = new Map();
  for (const secret of secrets) {
    const opening = openingLength(secret);
    for (let offset = 0; offset + minimumSecretLength <= secret.length; offset += 1) {
      const piece = secret.slice(offset, offset + minimumSecretLength);
      const isOwn = offset + minimumSecretLength >= opening + ownCharacters;
      if (isOwn) own.set(piece, true);
      else if (!own.has(piece)) own.set(piece, false);
    }
  }
  return own;
};

/**
 * Adds `[start, end)` of every stretch of the text that is `minimumSecretLength` or more characters of a secret, as
 * long as it runs: the whole secret, the opening a cut text ends inside, its last characters an upstream quotes
 * ("…Io1Pa3Sd0Fg"), or any middle piece. A run is the union of the pieces found at consecutive positions, so its cost
 * is one lookup per position however many keys share a piece; a run only of public openings is left. Only the
 * positions in `starts` are looked at, as in {@link findLiterals}.
 */
const findPieces = (text: string, starts: readonly number[], pieces: PieceIndex, found: number[]): void => {
  let runStart = -1;
  let runEnd = -1;
  let runOwn = false;
  for (const at of starts) {
    const own = pieces.get(text.slice(at, at + minimumSecretLength));
    if (own === undefined) continue;
    if (at > runEnd) {
      if (runOwn) found.push(runStart, runEnd);
      runStart = at;
      runOwn = false;
    }
    runEnd = at + minimumSecretLength;
    runOwn ||= own;
  }
  if (runOwn) found.push(runStart, runEnd);
};

const anyEscape = /%[0-9a-f]{2}|\\u00[0-9a-f]{2}|\\\//i;

/**
 * Whether the text has an escape {@link decodeEscapes} decodes. Each starts with `%`, `\u` or `\/`: a text with none
 * (nearly every one) skips the expression. JSON answers hold `\n` and `\"` all through, which looking for a bare
 * `\` let on to the expression, half the cost of scrubbing a chat completion.
 */
const mayHoldEscape = (text: string): boolean =>
  (text.includes('%') || text.includes('\\u') || text.includes('\\U') || text.includes('\\/')) && anyEscape.test(text);
const escapes = /%([0-9a-f]{2})|\\u00([0-9a-f]{2})|\\(\/)/gi;

/** Where each character of a decoded text started in the text it was decoded from. */
type Origin = (at: number) => number;

/**
 * The text with every percent escape (`%2D`), JSON `\u00XX` escape and JSON `\/` (PHP's and some Java encoders'
 * slash) decoded, in any mixture, and where each decoded character (or the end, at `decoded.length`) starts in the
 * text it came from, through `from` (where each character of that text started before). The text between escapes
 * is copied in slices, and only the escapes are noted: a position table per character, before this, took 3.7 s and
 * 364 MiB for an 8 MB answer full of them (a Python server writes every accented letter as `\u00e9`).
 */
const decodeEscapes = (text: string, from?: Origin): { decoded: string; origin: Origin } => {
  // Per escape: where its character is in the decoded text, where the escape starts in `text`, and its length.
  const marks: number[] = [];
  let decoded = '';
  let copied = 0;
  for (const match of text.matchAll(escapes)) {
    decoded += text.slice(copied, match.index);
    marks.push(decoded.length, match.index, match[0].length);
    decoded += match[3] ?? String.fromCharCode(Number.parseInt(match[1] ?? match[2]!, 16));
    copied = match.index + match[0].length;
  }
  decoded += text.slice(copied);
  const own = (at: number): number => {
    // The last escape at or before `at`, by a binary search over the marks.
    let low = 0;
    let high = marks.length / 3 - 1;
    let mark = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (marks[middle * 3]! <= at) {
        mark = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (mark < 0) return at;
    const character = marks[mark * 3]!;
    const start = marks[mark * 3 + 1]!;
    return at === character ? start : start + marks[mark * 3 + 2]! + (at - character - 1);
  };
  return { decoded, origin: from ? (at) => from(own(at)) : own };
};

// Escapes decoded over one another: `%252F` is `%2F` once decoded and `/` twice (a URL encoded into another's query).
const decodeRounds = 2;

/**
 * Where a stretch that starts at `start` must start so as not to split an escape (`\n`, `\u0041`) it begins inside:
 * a key's tail quoted after a newline, `…:\n0123…`, matches from the escape's `n` when the key has `n0123…`, and
 * `\[redacted]` would leave a JSON body that no longer parses. A backslash that is itself escaped starts nothing.
 */
const outsideEscape = (text: string, start: number): number => {
  for (let back = 1; back <= 5 && back <= start; back += 1) {
    if (text.charCodeAt(start - back) !== 92) continue;
    let run = 1;
    while (start - back - run >= 0 && text.charCodeAt(start - back - run) === 92) run += 1;
    const span = text.charCodeAt(start - back + 1) === 117 ? 6 : 2;
    return run % 2 === 1 && back < span ? start - back : start;
  }
  return start;
};

/** Replaces the (possibly overlapping) stretches `[start, end)` in `found` with the marker, one per run. */
const redactStretches = (text: string, found: number[]): string => {
  const hidden = new Uint8Array(text.length);
  for (let index = 0; index < found.length; index += 2) hidden.fill(1, outsideEscape(text, found[index]!), found[index + 1]);
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
 * A scrubber for upstream credentials (the same one for the same secrets, in the same order): it replaces each
 * secret found in a text with `[redacted]`, whether the text carries it raw, percent-encoded (once or twice),
 * JSON-escaped (`\u00XX`, `\/`; in any mixture) or base64-encoded (standard or URL-safe, at any alignment), and, for
 * a random secret (16 characters or more, with a run of 12 letters and digits that mixes cases or digits in), any
 * piece of it of 8 characters or more (its last characters, a middle, an opening cut short) in the first three
 * spellings, but for its public opening alone (`sk-proj-`). A wordy value (`2024-10-01-preview`) is matched whole,
 * as are those under 16 characters. Apply it to everything that leaves the process or goes to a shared store:
 * relayed bodies and headers, health views, logs, metric labels, stored reasons.
 *
 * Its cost grows with the text, not with the number of secrets: every spelling is looked up by its first
 * characters in one pass over the text (and one over its escapes decoded, when it has any). One expression with an
 * alternative per secret, as this was before, took 17.6 s for a 377 kB text with 3,000 keys.
 */
export const createSecretScrubber = (secrets: Iterable<string>): Scrub => {
  const distinct = [...new Set(secrets)];
  if (!lastBuilt || !sameSecrets(lastBuilt.secrets, distinct)) lastBuilt = { secrets: distinct, scrub: buildScrubber(distinct) };
  return lastBuilt.scrub;
};

/**
 * The scrubber last built, with its secrets: a scrubber is a pure function of them, so the same secrets get the same
 * one. A gateway asks for one per part (the parsed options' redacted view, the router, the metrics, the app), each
 * from the same endpoints; built each time, 3,000 keys cost 11.7 MiB of heap and 114 ms apiece, five times over. One
 * slot, not a map: a process that builds scrubbers for many sets of keys (a test suite) keeps only the last.
 */
let lastBuilt: { readonly secrets: readonly string[]; readonly scrub: Scrub } | undefined;

const sameSecrets = (left: readonly string[], right: readonly string[]): boolean =>
  left.length === right.length && left.every((secret, index) => secret === right[index]);

const buildScrubber = (distinct: readonly string[]): Scrub => {
  const raw: string[] = [];
  const literals: string[] = [];
  for (const secret of distinct) {
    if (secret.length < minimumSecretLength) continue;
    if (pieceable(secret)) raw.push(secret);
    else literals.push(secret);
    literals.push(...base64Forms(secret));
  }
  if (literals.length === 0) return (text) => text;
  const pieces = indexPieces(raw);
  const index = indexLiterals(literals);
  const possibleStarts = windowFilter([...pieces.keys(), ...index.keys()], minimumSecretLength);
  const find = (text: string, found: number[]): void => {
    const starts = possibleStarts(text);
    if (starts === undefined) return;
    findPieces(text, starts, pieces, found);
    findLiterals(text, starts, index, found);
  };
  return (text) => {
    // Shorter than any secret: most header values (counts, durations) end here.
    if (text.length < minimumSecretLength) return text;
    const found: number[] = [];
    find(text, found);
    let encoded = text;
    let from: Origin | undefined;
    for (let round = 0; round < decodeRounds && mayHoldEscape(encoded); round += 1) {
      const { decoded, origin } = decodeEscapes(encoded, from);
      const inDecoded: number[] = [];
      find(decoded, inDecoded);
      for (const at of inDecoded) found.push(origin(at));
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
// Well-known public headers, never credentials: `anthropic-version: 2023-06-01` and the like stay readable.
const publicHeaders = new Set([
  'accept', 'accept-encoding', 'accept-language', 'anthropic-beta', 'anthropic-version', 'content-type', 'http-referer',
  'openai-beta', 'api-version', 'openai-organization', 'openai-project', 'referer', 'user-agent', 'x-title',
]);
// A name that says its value is a credential (`x-api-key`, `x-credential`, `x-pass`, `x-pw`, `x-upstream-psk`,
// `helicone-auth`, a SAS `sig`, Azure Functions' `?code=`, a relay's `?access=`, a webhook's `hmac`).
const credentialName = /auth|key|token|secret|pass|pw|psk|pin|otp|hmac|cred|sig|session|cookie|code|access|bearer|licen|private|subscription/i;
// A value this long is taken for a credential under any name: no word or model name is, and a low-entropy secret
// (`correct-horse-battery-staple`, a hex digest, a UUID) may be.
const credentialLength = 16;

/**
 * Whether an extra header's or query parameter's value is a credential: its name says so, or the value could be one
 * (16 characters or more, or a run of 12 letters and digits mixing cases or digits in, as every provider's key has).
 * A short word, date or model name under any other name (`Helicone-Property-Environment: production`,
 * `?deployment=gpt-4o-mini`) is not: taken for a key, every "production" and every `"model"` in every answer became
 * `[redacted]`.
 */
const isCredential = (name: string, value: string): boolean =>
  credentialName.test(name) || value.length >= credentialLength || hasRandomRun(value);

/** What {@link endpointSecrets} reads of an endpoint. */
export interface SecretBearingEndpoint {
  readonly apiKey?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly query?: Readonly<Record<string, string>> | undefined;
}

/**
 * Every credential endpoints send upstream: their keys, and those of their extra header values and query values that
 * are credentials by name or look (see `isCredential`; never a well-known public header's, nor `api-version`).
 */
export const endpointSecrets = (endpoints: readonly SecretBearingEndpoint[]): string[] => {
  const secrets = new Set<string>();
  for (const endpoint of endpoints) {
    if (endpoint.apiKey) secrets.add(endpoint.apiKey);
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      if (!publicHeaders.has(name.toLowerCase()) && isCredential(name, value)) secrets.add(value);
    }
    for (const [name, value] of Object.entries(endpoint.query ?? {})) {
      if (!publicQueryNames.has(name.toLowerCase()) && isCredential(name, value)) secrets.add(value);
    }
  }
  return [...secrets];
};
