import { describe, expect, it } from 'vitest';
import { StreamInterruptedError } from './stream-interrupted-error';

describe('StreamInterruptedError', () => {
  it('ends its sentences once, whether or not the reason brought its own full stop', () => {
    // workerd's own message ends in one: "…after 306 bytes: Network connection lost.." (attack 21).
    const fromWorkerd = new StreamInterruptedError({ endpoint: 'a', bytesDelivered: 306, reason: 'Network connection lost.' });
    expect(fromWorkerd.message).toBe('The stream from endpoint "a" was interrupted after 306 bytes: Network connection lost.');
    const rescued = new StreamInterruptedError({ endpoint: 'a', bytesDelivered: 5, reason: 'the upstream closed without its last event', rescue: 'no endpoint could continue' });
    expect(rescued.message).toBe('The stream from endpoint "a" was interrupted after 5 bytes: the upstream closed without its last event. A rescue was tried and failed: no endpoint could continue.');
    expect(rescued.reason).toBe('the upstream closed without its last event');
  });
});
