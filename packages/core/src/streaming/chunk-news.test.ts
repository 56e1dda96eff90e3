import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriesError, carriesUsage, chunkNews, finishes } from './chunk-news';

/** The searches `chunkNews` replaced, one per key, as the watcher ran them: the reference it is held to. */
const someValueStarts = (data: string, key: string, wanted: (code: number) => boolean): boolean => {
  let at = data.indexOf(key);
  while (at >= 0) {
    let index = at + key.length;
    while (data.charCodeAt(index) === 32) index += 1;
    if (data.charCodeAt(index) === 58) {
      index += 1;
      while (data.charCodeAt(index) === 32) index += 1;
      if (wanted(data.charCodeAt(index))) return true;
    }
    at = data.indexOf(key, index);
  }
  return false;
};
const searched = (data: string): number => {
  const ends = someValueStarts(data, '"finish_reason"', (code) => code === 34);
  const usage = data.includes('"usage"') && (someValueStarts(data, '"usage"', (code) => code !== 110) || data.includes('"type"'));
  const error = data.includes('"error":') || data.includes('"type":"error"');
  return (ends ? finishes : 0) | (usage ? carriesUsage : 0) | (error ? carriesError : 0);
};

const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":';

describe('chunkNews', () => {
  it('passes over the chunks of an answer and finds what ends or prices it', () => {
    const content = `${head}[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}`;
    expect(chunkNews(content)).toBe(0);
    expect(chunkNews(`${head}[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}`)).toBe(finishes);
    expect(chunkNews(`${head}[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`)).toBe(carriesUsage);
    expect(chunkNews(`${head}[{"index":0,"delta":{},"finish_reason" : "length"}]}`)).toBe(finishes);
  });

  it('finds errors anywhere in the chunk, but not in the text the model wrote', () => {
    expect(chunkNews('{"id":"x","error":{"message":"overloaded"},"choices":[]}')).toBe(carriesError);
    expect(chunkNews('{"type":"error","message":"overloaded"}')).toBe(carriesError);
    expect(chunkNews(`${head}[{"index":0,"delta":{"content":"say \\"error\\": and \\"finish_reason\\":\\"x\\""},"finish_reason":null}]}`)).toBe(0);
  });

  it('reads a chunk with a `type` and a `usage` key, whatever the usage, as one that may carry a response id', () => {
    expect(chunkNews('{"usage":null,"type":"response.created"}')).toBe(carriesUsage);
    expect(chunkNews('{"usage":null,"kind":"x"}')).toBe(0);
  });

  it('agrees with a search per key on any text made of the keys, quotes and values', () => {
    const piece = fc.constantFrom(
      '"finish_reason"', '"usage"', '"type"', '"error"', '"error":', ':', ' ', '"', 'null', '"stop"', '{', '}', ',', 'n',
      'error', 'type', 'usage', 'finish_reason', '\\"', '"x"', '[', ']', '"type":"error"', 'e', 'f', 't', 'u',
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const data = pieces.join('');
      expect(chunkNews(data)).toBe(searched(data));
    }), { numRuns: 5000 });
  });

  it('agrees with it on any text at all', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (data) => {
      expect(chunkNews(data)).toBe(searched(data));
    }), { numRuns: 2000 });
  });
});
