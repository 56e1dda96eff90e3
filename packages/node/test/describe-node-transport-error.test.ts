import { describe, expect, it } from 'vitest';
import { describeNodeTransportError } from '../src/describe-node-transport-error';

const failure = (code: string, message: string, cause?: unknown) => Object.assign(new Error(message, { cause }), { code });
const openSsl = '803CA795107F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n';

describe('Node’s transport errors, described', () => {
  it('marks a TLS certificate that does not verify permanent (never asked again there), and says why', () => {
    for (const [code, words] of [
      ['CERT_HAS_EXPIRED', 'has expired'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'NODE_EXTRA_CA_CERTS'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'names other hosts'],
    ] as const) {
      const described = describeNodeTransportError(failure(code, "Hostname/IP does not match certificate's altnames"));
      expect(described).toMatchObject({ kind: 'network', code, permanent: true });
      expect(described.hint).toMatch(/^the endpoint's TLS certificate /);
      expect(described.hint).toContain(words);
    }
    // undici may raise it as the cause of its own error.
    expect(describeNodeTransportError(failure('UND_ERR_CONNECT', 'connect failed', failure('CERT_HAS_EXPIRED', 'certificate has expired')))).toMatchObject({ permanent: true });
  });

  it('names a TLS failure by its code and what it means, never by OpenSSL’s message, and leaves it retried as usual', () => {
    expect(describeNodeTransportError(failure('ERR_SSL_WRONG_VERSION_NUMBER', openSsl))).toEqual({
      kind: 'network', code: 'ERR_SSL_WRONG_VERSION_NUMBER', hint: 'the endpoint did not answer in TLS (is its baseUrl http, not https?)',
    });
    expect(describeNodeTransportError(failure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', openSsl))).toEqual({ kind: 'network', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', hint: 'the TLS handshake failed' });
  });

  it('names a proxy’s refusal of a tunnel by its status, a 407 or 403 permanent', () => {
    const refused = (status: number) => Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' });
    expect(describeNodeTransportError(refused(407))).toMatchObject({ code: 'PROXY_407', permanent: true, hint: expect.stringContaining('check the proxy credentials') });
    expect(describeNodeTransportError(refused(403))).toMatchObject({ code: 'PROXY_403', permanent: true });
    expect(describeNodeTransportError(refused(502))).toMatchObject({ code: 'PROXY_502', permanent: false });
  });

  it('leaves every other error to core’s reading', () => {
    expect(describeNodeTransportError(failure('ECONNRESET', 'read ECONNRESET'))).toEqual({ kind: 'network', code: 'ECONNRESET' });
    expect(describeNodeTransportError(failure('UND_ERR_CONNECT_TIMEOUT', 'timeout'))).toEqual({ kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT' });
  });
});
