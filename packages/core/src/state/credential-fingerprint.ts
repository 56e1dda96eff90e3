/**
 * 53 bits of a string's hash (two multiplicative lanes, mixed at the end), as base-36 text. Not a cryptographic
 * hash, and not meant to be one: see {@link credentialFingerprint} for why that is enough here.
 */
const hash53 = (text: string): string => {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return (4294967296 * (2097151 & second) + (first >>> 0)).toString(36);
};

/**
 * What identifies the credential an endpoint is called with: its URL, its key and the headers it sends (where some
 * providers take their key), as a short fingerprint. A disable earned by an auth or billing error belongs to that
 * credential, and a fleet store keeps the fingerprint beside the deadline, so that a key replaced under the same
 * endpoint name is not held to the old key's disable (see `EndpointState.disabledBy`).
 *
 * The fingerprint leaves the process (it is stored with the fleet's state), so it must not give the key away: 53 bits
 * of a hash say nothing usable about a key of a hundred or more random bits, as providers issue, and a collision
 * between an old and a new key (1 in 2⁵³) only keeps the old disable. A short key chosen by hand (a self-hosted
 * server's `--api-key`) can be guessed offline from it by whoever reads the fleet's store, as from any value derived
 * from the key alone. Pure, and the same in every runtime, so members of a fleet agree. A trailing slash of the URL
 * makes no other credential.
 */
export const credentialFingerprint = (endpoint: {
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  readonly apiKeyHeader?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}): string => {
  const headers = endpoint.headers ? Object.keys(endpoint.headers).sort().map((name) => `${name.toLowerCase()}:${endpoint.headers![name]}`) : [];
  return hash53([endpoint.baseUrl.replace(/\/+$/, ''), endpoint.apiKeyHeader ?? '', endpoint.apiKey ?? '', ...headers].join('\n'));
};
