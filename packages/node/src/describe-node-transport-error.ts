import { describeTransportError, type DescribeTransportError, type TransportErrorDescription } from '@detour/core/binding';

// Node's codes for a TLS certificate that does not verify: the endpoint (or the trust store) is misconfigured, and
// asking it again cannot succeed. Read here, not in core: no other runtime's fetch reports them.
const untrusted = "is not trusted (a private CA's certificate goes in NODE_EXTRA_CA_CERTS)";
const otherHosts = "names other hosts than the baseUrl's";
const certificateHints = new Map(
  [
    ['CERT_HAS_EXPIRED', 'has expired'], ['CERT_NOT_YET_VALID', 'is not valid yet'], ['CERT_REVOKED', 'has been revoked'],
    ['CERT_SIGNATURE_FAILURE', 'has a bad signature'], ['ERR_TLS_CERT_ALTNAME_INVALID', otherHosts], ['HOSTNAME_MISMATCH', otherHosts],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', untrusted], ['SELF_SIGNED_CERT_IN_CHAIN', untrusted], ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', untrusted],
    ['UNABLE_TO_GET_ISSUER_CERT', untrusted], ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', untrusted], ['CERT_UNTRUSTED', untrusted],
  ].map(([code, hint]) => [code, `the endpoint's TLS certificate ${hint}`]),
);

// This process's shortages, as the system reports them on a connect or a write, and its pool closed under a request:
// no fault of the endpoint's.
const localShortages = new Map([
  ['EMFILE', 'this process is out of file descriptors: raise its limit (ulimit -n, LimitNOFILE) or lower its load'],
  ['ENFILE', "the system's file table is full"],
  ['ENOBUFS', 'the system is out of socket buffers'],
  ['ENOMEM', 'the system is out of memory'],
  ['EADDRNOTAVAIL', 'no local port or address is free for a connection'],
]);

// undici's pool was closed under the request (the router's close cut it, a caller's transport closed): `closed`.
const closedPool = new Set(['UND_ERR_DESTROYED', 'UND_ERR_CLOSED']);

// The shortages met when opening a connection, before the request could leave.
const connectShortages = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL']);

/**
 * A TLS failure by its code (OpenSSL's own message names a build path and ends in a line feed), or a local shortage.
 * A failed handshake and a shortage met connecting are `unsent`: the request never left.
 */
const namedFailure = (code: string): TransportErrorDescription | undefined => {
  if (closedPool.has(code)) return { kind: 'network', code, hint: 'the connection pool was closed', local: true, closed: true };
  const shortage = localShortages.get(code);
  if (shortage) return connectShortages.has(code) ? { kind: 'network', code, hint: shortage, local: true, unsent: true } : { kind: 'network', code, hint: shortage, local: true };
  const certificate = certificateHints.get(code);
  if (certificate) return { kind: 'network', code, hint: certificate, permanent: true, unsent: true };
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return { kind: 'network', code, hint: 'the endpoint did not answer in TLS (is its baseUrl http, not https?)', unsent: true };
  if (code.startsWith('ERR_SSL_')) return { kind: 'network', code, hint: 'the TLS handshake failed', unsent: true };
  return undefined;
};

// undici's words for a proxy that refused a tunnel: 407 (its credentials) and 403 (its policy) refuse every request.
const proxyRefusal = /^Proxy response \((\d{3})\)/;

/** A proxy's refusal of a tunnel, by its status: the request never reached the endpoint. */
const proxyFailure = (error: unknown): TransportErrorDescription | undefined => {
  const status = error instanceof Error ? proxyRefusal.exec(error.message)?.[1] : undefined;
  if (status === undefined) return undefined;
  const why = status === '407' ? ': check the proxy credentials in agent.proxy or HTTPS_PROXY' : status === '403' ? ': the proxy does not allow this host' : '';
  return { kind: 'network', code: `PROXY_${status}`, hint: `the egress proxy refused the tunnel with HTTP ${status}${why}`, permanent: status === '407' || status === '403', unsent: true };
};

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

/**
 * Core's reading of transport errors, with Node's TLS failures and an egress proxy's refusals named and explained,
 * and a certificate that does not verify or a proxy that refuses the tunnel (407, 403) marked `permanent` (not asked
 * again on the same endpoint). The process's own shortages (out of file descriptors, memory or local ports) are
 * marked `local`: they never count against an endpoint. undici raises them as they are, or as a cause.
 */
export const describeNodeTransportError: DescribeTransportError = (error) => {
  for (const code of [codeOf(error), codeOf((error as { cause?: unknown } | null)?.cause)]) {
    const described = typeof code === 'string' ? namedFailure(code) : undefined;
    if (described) return described;
  }
  return proxyFailure(error) ?? describeTransportError(error);
};
