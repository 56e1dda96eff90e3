import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUsageChunkFilter } from './usage-chunk-filter';

const events = [
  'data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n',
  'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n',
  'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
  'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n',
  'data: [DONE]\n\n',
];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const run = (chunks: string[]) => {
  const filter = createUsageChunkFilter();
  let out = '';
  for (const chunk of chunks) {
    const piece = filter.push(encoder.encode(chunk));
    if (piece) out += decoder.decode(piece);
  }
  const rest = filter.flush();
  return out + (rest ? decoder.decode(rest) : '');
};

describe('createUsageChunkFilter', () => {
  it('removes the usage-only event and keeps every other event as it was', () => {
    expect(run(events)).toBe([...events.slice(0, 3), events[4]].join(''));
  });

  it('gives the same output however the stream is split into chunks', () => {
    const whole = events.join('');
    const expected = run([whole]);
    fc.assert(
      fc.property(fc.array(fc.nat(whole.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let start = 0;
        for (const point of points) {
          chunks.push(whole.slice(start, point));
          start = point;
        }
        chunks.push(whole.slice(start));
        return run(chunks) === expected;
      }),
    );
  });

  it('keeps Azure\'s empty-choices prompt filter chunk and chunks whose usage is null', () => {
    const filterResults = 'data: {"choices":[],"prompt_filter_results":[{"prompt_index":0}],"usage":null}\n\n';
    const nullUsage = 'data: {"choices":[{"delta":{"content":"x"}}],"usage":null}\n\n';
    expect(run([filterResults, nullUsage, events[3]!, events[4]!])).toBe(filterResults + nullUsage + events[4]);
  });

  it('keeps chunks that carry content alongside usage', () => {
    const both = 'data: {"choices":[{"delta":{"content":"x"}}],"usage":{"prompt_tokens":1}}\n\n';
    expect(run([both])).toBe(both);
  });
});

describe('the usage filter with a large event in many reads', () => {
  it('holds it whole without emitting, then passes it and still removes the usage event, boundaries straddling reads', () => {
    const big = `data: {"choices":[{"index":0,"delta":{"content":"${'x'.repeat(200_000)}"}}]}\r\n\r\n`;
    const text = events[0]! + big + events.slice(2).join('');
    // Reads of 1,000 characters, and of 1 and 3 around each boundary: every way a boundary can be cut.
    for (const size of [1000, 7, 3, 1]) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      expect(run(chunks)).toBe(events[0]! + big + events[2]! + events[4]!);
    }
  });
});
