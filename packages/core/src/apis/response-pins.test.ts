import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponsePins } from './response-pins';
import { pinsOfResponse, responseOfStreamHead, storedReferenceOf } from './stored-response';

describe('createResponsePins', () => {
  it('forgets the oldest pin once full, and a pin set again counts as new', () => {
    const pins = createResponsePins(2);
    pins.set('response:a', 'one');
    pins.set('response:b', 'two');
    pins.set('response:a', 'one');
    pins.set('response:c', 'three');
    expect([pins.get('response:a'), pins.get('response:b'), pins.get('response:c')]).toEqual(['one', undefined, 'three']);
  });

  it('never holds more than its capacity, whatever is set (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 200 }), (ids) => {
        const pins = createResponsePins(50);
        for (const id of ids) pins.set(id, 'storage');
        return pins.size <= 50;
      }),
    );
  });

  it("keeps an id with the storage that first held it: a second storage's claim is a lie (attack 13)", () => {
    // Another storage answering an unrelated request with a pinned id moved the conversation there, without its
    // history.
    const pins = createResponsePins();
    pins.set('response:resp_A1', 'a');
    pins.set('response:resp_A1', 'b');
    expect(pins.get('response:resp_A1')).toBe('a');
  });

  it('keeps __proto__ like any other id', () => {
    const pins = createResponsePins();
    pins.set('response:__proto__', 'one');
    expect(pins.get('response:__proto__')).toBe('one');
    expect(pins.get('response:constructor')).toBeUndefined();
  });
});

describe('storedReferenceOf', () => {
  it('reads the id of /responses/{id} routes, decoded, and looks it up at its own path', () => {
    expect(storedReferenceOf('responses', 'GET', '/responses/resp_1/input_items?limit=2', undefined)).toEqual({
      key: 'response:resp_1', id: 'resp_1', lookupPath: '/responses/resp_1',
    });
  });

  it('reads previous_response_id, then conversation (a string or { id })', () => {
    expect(storedReferenceOf('responses', 'POST', '/responses', { previous_response_id: 'resp_2' })?.key).toBe('response:resp_2');
    expect(storedReferenceOf('responses', 'POST', '/responses', { conversation: 'conv_1' })).toMatchObject({ key: 'conversation:conv_1', lookupPath: '/conversations/conv_1' });
    expect(storedReferenceOf('responses', 'POST', '/responses', { conversation: { id: 'conv_2' } })?.key).toBe('conversation:conv_2');
  });

  it('finds nothing to pin on other APIs or fresh requests', () => {
    expect(storedReferenceOf('chat', 'POST', '/chat/completions', { previous_response_id: 'resp_2' })).toBeUndefined();
    expect(storedReferenceOf('responses', 'POST', '/responses', { input: 'hi' })).toBeUndefined();
  });

  it('reads POST /responses/{action} (input_tokens, compact) as an action pinned by its body only', () => {
    expect(storedReferenceOf('responses', 'POST', '/responses/input_tokens', { input: 'hi' })).toBeUndefined();
    expect(storedReferenceOf('responses', 'POST', '/responses/input_tokens', { previous_response_id: 'resp_3' })?.key).toBe('response:resp_3');
    expect(storedReferenceOf('responses', 'POST', '/responses/resp_4/cancel', undefined)?.key).toBe('response:resp_4');
  });

  it('never throws on a malformed id', () => {
    expect(storedReferenceOf('responses', 'DELETE', '/responses/%E0%A4%A', undefined)?.id).toBe('');
  });
});

describe('what a served answer teaches', () => {
  it('pins a stored response and its conversation, and only the conversation when store is false', () => {
    const answer = { id: 'resp_1', object: 'response', conversation: { id: 'conv_1' } };
    expect(pinsOfResponse(answer, true)).toEqual(['response:resp_1', 'conversation:conv_1']);
    expect(pinsOfResponse(answer, false)).toEqual(['conversation:conv_1']);
    expect(pinsOfResponse('garbage', true)).toEqual([]);
  });

  it("reads the response of a stream's first event, across chunks", () => {
    const event = 'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_9","status":"in_progress"}}\n\n';
    const encoder = new TextEncoder();
    expect(responseOfStreamHead([encoder.encode(event.slice(0, 40)), encoder.encode(event.slice(40))])).toMatchObject({ id: 'resp_9' });
    expect(responseOfStreamHead([encoder.encode('data: {"choices":[]}\n\n')])).toBeUndefined();
  });
});
