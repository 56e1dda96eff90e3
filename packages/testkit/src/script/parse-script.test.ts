import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidScriptError, parseOptionsFile, parseScript } from './parse-script';

describe('parseScript', () => {
  it('accepts a script using every fault', () => {
    const script = [
      { when: { every: 2, offset: 1 }, fault: { type: 'rate-limit', dialect: 'gemini', retryAfterMs: 500, perDay: true } },
      { when: { nth: [1] }, fault: { type: 'insufficient-quota' } },
      { when: { from: 1, to: 3 }, fault: { type: 'context-length' } },
      { when: { afterMs: 0, forMs: 10 }, fault: { type: 'unauthorized' } },
      { when: { probability: 0.5 }, fault: { type: 'status', status: 503, headers: { 'x-a': 'b' }, body: { any: 1 } } },
      { when: { path: '/v1/embeddings' }, fault: { type: 'slow-first-byte', delayMs: 10 } },
      { when: { model: 'm' }, fault: { type: 'slow-body', chunkDelayMs: 10 } },
      { when: { stream: true }, fault: { type: 'cut-stream', afterChunks: 2, mode: 'reset' } },
      { fault: { type: 'malformed-sse' } },
      { when: { path: '/v1/messages' }, fault: { type: 'stream-error-event', afterChunks: 3 } },
      { when: { path: '/v1/responses' }, fault: { type: 'stream-error-event', afterChunks: 0, variant: 'response.failed' } },
      { fault: { type: 'reset' } },
      { fault: { type: 'hang' } },
    ];
    expect(parseScript(script)).toEqual(script);
  });

  it('names the bad path of an unknown dialect', () => {
    expect(() => parseScript([{ fault: { type: 'rate-limit', dialect: 'openai' } }, { fault: { type: 'rate-limit', dialect: 'acme' } }])).toThrow(
      /\[1\]\.fault\.dialect/,
    );
  });

  it('names the bad path of an unknown stream-error-event variant or a missing afterChunks', () => {
    expect(() => parseScript([{ fault: { type: 'stream-error-event', afterChunks: 1, variant: 'boom' } }])).toThrow(/\[0\]\.fault\.variant/);
    expect(() => parseScript([{ fault: { type: 'stream-error-event' } }])).toThrow(/\[0\]\.fault\.afterChunks/);
  });

  it('rejects a misspelt condition instead of matching everything', () => {
    expect(() => parseScript([{ when: { evry: 2 }, fault: { type: 'reset' } }])).toThrow(/\[0\]\.when/);
  });

  it('rejects out-of-range values, naming each path', () => {
    try {
      parseScript([{ when: { probability: 2 }, fault: { type: 'status', status: 42 } }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidScriptError);
      const problems = (error as InvalidScriptError).problems.join('\n');
      expect(problems).toMatch(/\[0\]\.when\.probability/);
      expect(problems).toMatch(/\[0\]\.fault\.status/);
    }
  });

  it('never fails with anything but InvalidScriptError, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseScript(json);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidScriptError);
        }
      }),
    );
  });

  it('rejects a script that is not a list', () => {
    expect(() => parseScript({ fault: { type: 'reset' } })).toThrow(InvalidScriptError);
  });
});

describe('parseOptionsFile', () => {
  it('reads a bare rule list as the script', () => {
    expect(parseOptionsFile([{ fault: { type: 'hang' } }])).toEqual({ script: [{ fault: { type: 'hang' } }] });
  });

  it('reads an object of option fields', () => {
    const options = { name: 'backup', seed: 3, latency: { type: 'fixed', ms: 5 }, limiter: { requestsPerMinute: 10 }, script: [] };
    expect(parseOptionsFile(options)).toEqual(options);
  });

  it('names the bad path inside an options object', () => {
    expect(() => parseOptionsFile({ latency: { type: 'normal', meanMs: 5 } })).toThrow(/latency\.stdDevMs/);
    expect(() => parseOptionsFile({ script: [{ fault: { type: 'nope' } }] })).toThrow(/script\[0\]\.fault\.type/);
  });
});
