import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretScrubber, endpointSecrets } from './secret-scrubber';

const key = 'sk-live-Abc123_xyz/+=.KEY';
const scrub = createSecretScrubber([key]);
const base64 = (text: string) => btoa(text);

describe('createSecretScrubber', () => {
  it('redacts a raw key inside an error code', () => {
    expect(scrub(`key_${key}_rejected`)).toBe('key_[redacted]_rejected');
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

  it('redacts a key base64-encoded at any alignment inside a longer encoded text', () => {
    for (const prefix of ['', 'a', 'ab', 'abc:']) {
      const encoded = base64(`${prefix}${key}:suffix`);
      expect(scrub(encoded)).toContain('[redacted]');
      expect(scrub(encoded.replace(/\+/g, '-').replace(/\//g, '_'))).toContain('[redacted]');
    }
  });

  it('leaves text without secrets untouched and ignores short values', () => {
    expect(scrub('nothing to see')).toBe('nothing to see');
    expect(createSecretScrubber(['short'])('a short text')).toBe('a short text');
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
  it('collects keys, every extra header but the well-known public ones, and credential-like query values', () => {
    expect(endpointSecrets([
      {
        apiKey: 'k1',
        // A custom header's name says nothing reliable: `x-credential` and `x-pass` carried keys that went unredacted.
        headers: { 'x-api-key': 'k2', 'anthropic-version': '2023-06-01', 'x-credential': 'k4', 'X-Pass': 'k5', 'HTTP-Referer': 'https://app.example', 'X-Title': 'My app' },
        query: { key: 'k3', 'api-version': '2024', passphrase: 'k6' },
      },
    ])).toEqual(['k1', 'k2', 'k4', 'k5', 'k3', 'k6']);
  });
});
