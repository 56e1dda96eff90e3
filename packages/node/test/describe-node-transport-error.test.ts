import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '@detour/core';
import { createRouter } from '../src/create-router';
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
      kind: 'network', code: 'ERR_SSL_WRONG_VERSION_NUMBER', hint: 'the endpoint did not answer in TLS (is its baseUrl http, not https?)', unsent: true,
    });
    expect(describeNodeTransportError(failure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', openSsl))).toEqual({ kind: 'network', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', hint: 'the TLS handshake failed', unsent: true });
  });

  it('names a proxy’s refusal of a tunnel by its status, a 407 or 403 permanent', () => {
    const refused = (status: number) => Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' });
    expect(describeNodeTransportError(refused(407))).toMatchObject({ code: 'PROXY_407', permanent: true, hint: expect.stringContaining('check the proxy credentials') });
    expect(describeNodeTransportError(refused(403))).toMatchObject({ code: 'PROXY_403', permanent: true });
    expect(describeNodeTransportError(refused(502))).toMatchObject({ code: 'PROXY_502', permanent: false });
  });

  it('marks the process’s own shortages local (no fault of the endpoint’s), as the error or its cause', () => {
    const emfile = describeNodeTransportError(failure('EMFILE', 'connect EMFILE 127.0.0.1:34223 - Local (undefined:undefined)'));
    expect(emfile).toMatchObject({ kind: 'network', code: 'EMFILE', local: true, hint: expect.stringContaining('out of file descriptors') });
    for (const code of ['ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL']) {
      expect(describeNodeTransportError(failure('UND_ERR_SOCKET', 'other side closed', failure(code, code)))).toMatchObject({ code, local: true });
    }
  });

  it('leaves every other error to core’s reading', () => {
    expect(describeNodeTransportError(failure('ECONNRESET', 'read ECONNRESET'))).toEqual({ kind: 'network', code: 'ECONNRESET' });
    // A connection never made: the request never left, so even one that must not run twice may go elsewhere.
    expect(describeNodeTransportError(failure('UND_ERR_CONNECT_TIMEOUT', 'timeout'))).toEqual({ kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT', unsent: true });
    expect(describeNodeTransportError(failure('ECONNREFUSED', 'connect ECONNREFUSED'))).toEqual({ kind: 'network', code: 'ECONNREFUSED', unsent: true });
  });
});

describe('a router whose process is out of file descriptors', () => {
  it('keeps every endpoint’s breaker closed and tries each endpoint once, naming the shortage', async () => {
    const sent: string[] = [];
    const router = createRouter(
      { endpoints: [{ name: 'primary', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-a' }, { name: 'backup', baseUrl: 'http://127.0.0.1:8/v1', apiKey: 'sk-b' }] },
      {
        transport: async (request) => {
          sent.push(request.url);
          throw failure('EMFILE', 'connect EMFILE 127.0.0.1:9 - Local (undefined:undefined)');
        },
      },
    );
    const failures = [];
    for (let index = 0; index < 20; index += 1) {
      failures.push(await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) }).catch((error: unknown) => error));
    }
    expect(failures.every((error) => (error as AttemptsExhaustedError).code === 'attempts_exhausted')).toBe(true);
    expect((failures[0] as AttemptsExhaustedError).message).toContain('EMFILE (this process is out of file descriptors');
    // One attempt per endpoint per request: not asked again where it failed.
    expect(sent).toHaveLength(40);
    expect((await router.health()).map(({ name, breaker }) => [name, breaker])).toEqual([['primary', 'closed'], ['backup', 'closed']]);
    await router.close();
  });
});
