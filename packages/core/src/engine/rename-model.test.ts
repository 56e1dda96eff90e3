import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renameModel } from './rename-model';

describe('renameModel', () => {
  it('changes only the name: integers past 2^53 and every other byte stay as sent', () => {
    const text = '{"model": "gpt-4.1", "seed":9223372036854775807,"max_completion_tokens":9007199254740993,"x":1.0,"s":"\\u00e9"}';
    expect(renameModel(text, 'openai/gpt-4.1')).toBe('{"model": "openai/gpt-4.1", "seed":9223372036854775807,"max_completion_tokens":9007199254740993,"x":1.0,"s":"\\u00e9"}');
  });

  it('replaces the last top-level model, the one a parser reads, and never a nested one', () => {
    const text = '{"metadata":{"model":"inner"},"model":"a","tools":[{"model":"x"}],"mod\\u0065l":"b"}';
    const renamed = renameModel(text, 'z')!;
    expect(JSON.parse(renamed)).toEqual({ metadata: { model: 'inner' }, model: 'z', tools: [{ model: 'x' }] });
    expect(renamed.startsWith('{"metadata":{"model":"inner"},"model":"a"')).toBe(true);
  });

  it('gives up (the caller re-serialises) on JSON with no top-level model', () => {
    for (const text of ['[]', '["model"]', '{"messages":[]}', '{"a":{"model":"x"}}', 'null', '""']) {
      expect(renameModel(text, 'z')).toBeUndefined();
    }
  });

  it('reads as the object with the model replaced, for any JSON object, however spaced (property)', () => {
    const body = fc.tuple(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.string(), fc.constantFrom(0, 1, 2));
    fc.assert(
      fc.property(body, ([object, model, renamedTo, indent]) => {
        const sent = { ...object, model };
        const text = JSON.stringify(sent, null, indent);
        const renamed = renameModel(text, renamedTo);
        expect(renamed).toBeDefined();
        // `__proto__` as an own key survives JSON.parse, as it does in the parsed request.
        expect(JSON.parse(renamed!)).toEqual(JSON.parse(JSON.stringify({ ...JSON.parse(text), model: renamedTo })));
      }),
    );
  });
});
