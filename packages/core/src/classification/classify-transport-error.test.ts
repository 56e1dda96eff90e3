import { describe, expect, it } from 'vitest';
import { describeTransportError } from '../ports/describe-transport-error';
import { classifyTransportError } from './classify-transport-error';

const classify = (error: unknown, describeError = describeTransportError) => classifyTransportError(error, { callerAborted: false, describe: describeError });

describe('classifying a transport error', () => {
  it('shows a binding’s hint after the code, and never asks the same endpoint again after a permanent failure', () => {
    const classified = classify(new Error('x'), () => ({ kind: 'network', code: 'CERT_HAS_EXPIRED', hint: 'the certificate has expired', permanent: true }));
    expect(classified).toMatchObject({ kind: 'network', retrySame: false, breaker: 'failure', reason: 'network: CERT_HAS_EXPIRED (the certificate has expired)' });
    expect(classify(new Error('x'), () => ({ kind: 'network', code: 'ECONNRESET' })).retrySame).toBe(true);
  });

  it('counts a local shortage against no endpoint: breaker neutral, not asked again there, still failed over', () => {
    const classified = classify(new Error('x'), () => ({ kind: 'network', code: 'EMFILE', hint: 'out of file descriptors', local: true }));
    expect(classified).toMatchObject({ kind: 'network', breaker: 'neutral', retrySame: false, failover: true, cooldown: 'none', reason: 'network: EMFILE (out of file descriptors)' });
  });

  it('puts an unknown error’s message on one line', () => {
    expect(classify(new Error('first line\n  second line\n')).reason).toBe('network: first line second line');
  });
});
