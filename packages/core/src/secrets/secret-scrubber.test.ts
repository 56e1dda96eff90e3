import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretScrubber, endpointSecrets } from './secret-scrubber';

const key = 'sk-live-Abc123xyzQ9w/+=.KEY';
const scrub = createSecretScrubber([key]);
const base64 = (text: string) => btoa(text);

describe('createSecretScrubber', () => {
  it('redacts a raw key inside an error code', () => {
    expect(scrub(`key_${key}_rejected`)).toBe('key_[redacted]_rejected');
  });

  it('redacts the opening of a key that the text ends inside: an upstream body cut short (the fourteenth attack)', () => {
    for (let cut = 12; cut < key.length; cut += 1) {
      expect(scrub(`invalid key ${key.slice(0, cut)}`)).toBe('invalid key [redacted]');
    }
    // Its first eight characters are the public opening every key of the provider has, and three more say nothing.
    expect(scrub('invalid key sk-live-')).toBe('invalid key sk-live-');
    expect(scrub('invalid key sk-live-Abc')).toBe('invalid key sk-live-Abc');
    // Shorter than any secret's lookup: left, as a short text is.
    expect(scrub(`invalid key ${key.slice(0, 7)}`)).toBe(`invalid key ${key.slice(0, 7)}`);
    expect(scrub(`${encodeURIComponent(key).slice(0, 23)}`)).toBe('[redacted]');
  });

  it('redacts any piece of a key of 8 characters or more: its tail, a middle, an opening followed by more (the fifteenth attack)', () => {
    expect(scrub(`invalid key ...${key.slice(-12)}.`)).toBe('invalid key ...[redacted].');
    expect(scrub(`key=${key.slice(3, 19)}&x=1`)).toBe('key=[redacted]&x=1');
    expect(scrub(`{"message":"key ${key.slice(0, 12)}..."}`)).toBe('{"message":"key [redacted]..."}');
    expect(scrub(`tail ${encodeURIComponent(key.slice(-14))}`)).toBe('tail [redacted]');
    // Seven characters are no piece: a short run of a key's characters is ordinary text.
    expect(scrub(`x ${key.slice(-7)} y`)).toBe(`x ${key.slice(-7)} y`);
    // A piece runs as long as the key does, and two pieces of two keys are each redacted.
    const two = createSecretScrubber(['sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4', 'sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6']);
    expect(two('a sk-proj-Zx9Qw7Lm2N! b ...Rr4Tt5Yy6')).toBe('a [redacted]! b ...[redacted]');
    // A short or wordy value (an extra header's) is matched whole: its pieces are words that other text has.
    const wordy = createSecretScrubber(['openrouter-production', 'shortkey-12345']);
    expect(wordy('openrouter said shortkey-123 twice')).toBe('openrouter said shortkey-123 twice');
    expect(wordy('x openrouter-production shortkey-12345')).toBe('x [redacted] [redacted]');
  });

  it("matches a value made of words and dates whole, so text that shares its words stays (review of the fifteenth attack's fixes)", () => {
    // An extra `api-version`-like header, a local server's placeholder key, a model-like value.
    const values = createSecretScrubber(['2024-10-01-preview', 'not-needed-for-local-vllm', 'gpt-4o-realtime-preview-2024']);
    const answer = 'Use the 2024-10-01 API or gpt-4o-realtime-preview; a key is not-needed-for-local servers. req_2024-10-01-77';
    expect(values(answer)).toBe(answer);
    expect(values('version 2024-10-01-preview')).toBe('version [redacted]');
  });

  it('redacts a piece of a random key of letters only, mixed case (review of the fifteenth attack)', () => {
    const letters = 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIjKlMn';
    expect(createSecretScrubber([letters])(`key ...${letters.slice(-12)} rejected`)).toBe('key ...[redacted] rejected');
  });

  it("leaves a provider's public opening alone, and redacts it with the rest of the key it opens", () => {
    const proj = createSecretScrubber(['sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Xy']);
    expect(proj('OpenAI keys start with sk-proj-, Anthropic ones with sk-ant-')).toBe('OpenAI keys start with sk-proj-, Anthropic ones with sk-ant-');
    expect(proj('key sk-proj-Zx9Q rejected')).toBe('key [redacted] rejected');
    // Thousands of keys: the opening and any next character or three is some key's piece, and still no quote.
    const fleet = createSecretScrubber(Array.from({ length: 3000 }, (_, index) => `sk-proj-${index.toString(36)}Zx9Qw7Lm2Nb5Vc8Tr4Xy`));
    expect(fleet('keys like sk-proj-abc or sk-proj-sk-proj-1')).toBe('keys like sk-proj-abc or sk-proj-sk-proj-1');
  });

  it('keeps a JSON text valid when a key piece starts on the letter of an escape (review of the fifteenth attack)', () => {
    const escaped = createSecretScrubber(['sk-proj-AbCdEfGhn0123456789XyZwVuT', 'sk-proj-QwErTyUiu0041abcdef9876XyZ']);
    for (const quote of ['provided:\\n0123456789XyZwVuT', 'provided: \\u0041abcdef9876XyZ']) {
      const body = `{"error":{"message":"Incorrect API key ${JSON.parse(`"${quote}"`)}","type":"invalid_request_error"}}`.replace(/\n/g, '\\n');
      const out = escaped(JSON.stringify(JSON.parse(body)));
      const parsed = JSON.parse(out) as { error: { message: string; type: string } };
      expect(parsed.error.message).toContain('[redacted]');
      expect(parsed.error.message).not.toMatch(/6789XyZ|9876XyZ/);
      expect(parsed.error.type).toBe('invalid_request_error');
    }
    // A backslash that is itself escaped starts no escape: the redaction starts at the key.
    expect(escaped('a\\\\n0123456789XyZwVuT')).toBe('a\\\\[redacted]');
  });

  it('redacts thousands of keys that share an opening, in a text that repeats it (review of the fifteenth attack)', () => {
    const keys = Array.from({ length: 3000 }, (_, index) => `sk-ant-api03-${index.toString(36).padStart(4, '0')}Xq7Lm2Nb5Vc8Tr4Zz${index}`);
    const many = createSecretScrubber(keys);
    const text = `${'sk-ant-api03-'.repeat(2000)} ${keys[1234]!.slice(0, 20)} ${encodeURIComponent('sk-ant-api03-').repeat(500)} ${btoa(keys[2999]!)}`;
    const out = many(text);
    expect(out.startsWith('sk-ant-api03-sk-ant-api03-')).toBe(true);
    expect(out).not.toContain(keys[1234]!.slice(0, 20));
    expect(out).toContain(` ${encodeURIComponent('sk-ant-api03-')}`);
    // Base64 keeps the last character or two, which carry bits of what follows the key.
    expect(out).toMatch(/ \[redacted\]\S{0,3}$/);
  });

  it('finds every piece of 8 or more characters of a random key in random text (property)', () => {
    // Random keys: a run of 12 letters and digits, then more (with `-` and `_`), as every provider's key has.
    const keys = fc.tuple(fc.stringMatching(/^[A-Za-z0-9]{10}$/), fc.stringMatching(/^[A-Za-z0-9_-]{8,48}$/)).map(([run, rest]) => `k9${run}${rest}`);
    fc.assert(
      fc.property(keys, fc.string(), fc.string(), fc.nat(), fc.nat(), (secret, before, after, from, size) => {
        const start = from % (secret.length - 8);
        const piece = secret.slice(start, start + 8 + (size % (secret.length - start - 7)));
        const out = createSecretScrubber([secret])(`${before}${piece}${after}`);
        expect(out).not.toContain(piece);
        expect(out).toContain('[redacted]');
      }),
      { numRuns: 300 },
    );
  });

  it('redacts a percent-encoded key, in either case of hex digits', () => {
    expect(scrub(`url=${encodeURIComponent(key)}`)).toBe('url=[redacted]');
    expect(scrub(encodeURIComponent(key).toLowerCase().replace(/%2f/, '%2f'))).not.toContain('Abc123');
  });

  it('redacts a key whose characters are JSON \\u-escaped, fully or in part', () => {
    const escapedAll = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    expect(scrub(`{"message":"${escapedAll}"}`)).toBe('{"message":"[redacted]"}');
    const escapedDash = JSON.stringify(key).slice(1, -1).replace(/-/g, '\\u002D');
    expect(scrub(escapedDash)).toBe('[redacted]');
  });

  it("redacts a key whose slashes are JSON-escaped (`\\/`, PHP's json_encode) or that is percent-encoded twice (attack 13)", () => {
    expect(scrub(JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'))).toBe('[redacted]');
    expect(scrub(`next=${encodeURIComponent(encodeURIComponent(key))}&x=1`)).toBe('next=[redacted]&x=1');
    // Twice-encoded inside a JSON-escaped text: both rounds map back to the original's characters.
    expect(scrub(`{"url":"a\\/b?k=${encodeURIComponent(encodeURIComponent(key))}"}`)).toBe('{"url":"a\\/b?k=[redacted]"}');
  });

  it('redacts a key base64-encoded at any alignment inside a longer encoded text', () => {
    for (const prefix of ['', 'a', 'ab', 'abc:']) {
      const encoded = base64(`${prefix}${key}:suffix`);
      expect(scrub(encoded)).toContain('[redacted]');
      expect(scrub(encoded.replace(/\+/g, '-').replace(/\//g, '_'))).toContain('[redacted]');
    }
  });

  it('redacts a key that starts with a character beyond ASCII, and only that key', () => {
    const scrubWide = createSecretScrubber(['ключ-1234567890', 'sk-ascii-123456']);
    expect(scrubWide('auth ключ-1234567890 failed')).toBe('auth [redacted] failed');
    expect(scrubWide('ключ-1234567899 and sk-ascii-123456')).toBe('ключ-1234567899 and [redacted]');
  });

  it('leaves text without secrets untouched and ignores short values', () => {
    expect(scrub('nothing to see')).toBe('nothing to see');
    expect(createSecretScrubber(['short'])('a short text')).toBe('a short text');
  });

  it('redacts every one of thousands of keys in a long text (its cost follows the text, not the keys)', () => {
    const keys = Array.from({ length: 3000 }, (_, index) => `sk-key-${String(index).padStart(10, '0')}`);
    const many = createSecretScrubber(keys);
    const text = JSON.stringify(keys.map((one, index) => ({ name: `ep-${index}`, reason: index % 3 === 0 ? encodeURIComponent(one) : index % 3 === 1 ? one : btoa(`x${one}`) })));
    const scrubbed = many(text);
    for (const one of keys) {
      expect(scrubbed).not.toContain(one);
      expect(scrubbed).not.toContain(encodeURIComponent(one));
    }
    expect(scrubbed.match(/\[redacted\]/g)).toHaveLength(3000);
    expect(scrubbed).toContain('"name":"ep-2999"');
  });

  it('redacts overlapping and adjacent spellings whole, and leaves what is between them', () => {
    const other = 'sk-live-Abc123';
    const both = createSecretScrubber([key, other]);
    expect(both(`${key}${key}`)).toBe('[redacted]');
    expect(both(`a ${other} b ${encodeURIComponent(key)} c`)).toBe('a [redacted] b [redacted] c');
    // A key in a mixture of escapes, inside JSON that has other escapes.
    const mixed = [...key].map((character, index) => (index % 3 === 0 ? `%${character.charCodeAt(0).toString(16)}` : index % 3 === 1 ? `\\u00${character.charCodeAt(0).toString(16)}` : character)).join('');
    expect(both(`{"a":"caf\\u00e9","b":"${mixed}","c":"100%"}`)).toBe('{"a":"caf\\u00e9","b":"[redacted]","c":"100%"}');
  });

  it('never lets a key through in any of its encodings (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40, unit: 'grapheme-ascii' }), fc.string(), fc.string(), (secret, before, after) => {
        const scrubbed = createSecretScrubber([secret]);
        expect(scrubbed(`${before}${secret}${after}`)).not.toContain(secret);
        expect(scrubbed(encodeURIComponent(secret))).toBe('[redacted]');
        expect(scrubbed(base64(`${before.replace(/[^\x20-\x7e]/g, '')}${secret}`))).toContain('[redacted]');
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('endpointSecrets', () => {
  it('collects keys, and the extra header and query values that are credentials by name or by look', () => {
    const random = 'Zx9Qw7Lm2Nb5Vc8T';
    expect(endpointSecrets([
      {
        apiKey: 'k1',
        // `x-credential` and `x-pass` carried keys that went unredacted; a random value is a key under any name.
        headers: {
          'x-api-key': 'k2', 'anthropic-version': '2023-06-01', 'x-credential': 'k4', 'X-Pass': 'k5', 'HTTP-Referer': 'https://app.example',
          'X-Title': 'My app', 'x-portkey-config': random, 'Helicone-Property-Environment': 'production', 'Accept-Encoding': 'identity',
          // Credentials of one kind of character, or of words, under names that say nothing: taken by their length.
          'x-webhook-digest': 'ffffffffffffffffffffffffffffffff', 'x-team': 'correct-horse-battery-staple', 'x-upstream-psk': 'swordfish',
        },
        // `code` (Azure Functions' host key) and a SAS token's `sig`; its `sv` is a version, a deployment a model.
        query: { key: 'k3', 'api-version': '2024', passphrase: 'k6', code: 'k7', sig: 'k8', sv: '2022-11-02', Version: '1', deployment: 'gpt-4o-mini' },
      },
    ])).toEqual(['k1', 'k2', 'k4', 'k5', random, 'ffffffffffffffffffffffffffffffff', 'correct-horse-battery-staple', 'swordfish', 'k3', 'k6', 'k7', 'k8']);
  });

  it('leaves the header and claims a JSON Web Token shares with every other alone, and redacts its signature', () => {
    const signature = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const token = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnYXRld2F5IiwiaWF0IjoxNzMzNTAwMDAwfQ.${signature}`;
    const scrub = createSecretScrubber([token]);
    const example = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(scrub(`a token looks like ${example}`)).toBe(`a token looks like ${example}`);
    expect(scrub(`key ${token}`)).toBe('key [redacted]');
    expect(scrub(`its tail ${signature.slice(-12)}`)).toBe('its tail [redacted]');
  });
});

describe('createSecretScrubber for secrets it was asked for before', () => {
  it('returns the scrubber already built for the same secrets, and a new one for others', () => {
    const keys = ['sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4', 'sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6'];
    const first = createSecretScrubber(keys);
    // A gateway builds one per part from the same endpoints: one is built, however many ask.
    expect(createSecretScrubber([...keys])).toBe(first);
    expect(createSecretScrubber([...keys, keys[0]!])).toBe(first);
    const other = createSecretScrubber([keys[0]!]);
    expect(other).not.toBe(first);
    expect(other('sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6')).toBe('sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6');
    expect(first('sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6')).toBe('[redacted]');
    // Secrets are compared one by one, not joined: no separator makes two different sets one.
    expect(createSecretScrubber(['sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4\u0000sk-proj-Qq1Ww2Ee3Rr4Tt5Yy6'])).not.toBe(createSecretScrubber(keys));
  });
});
