import { connect } from 'node:net';

/** What came back on the wire for one raw request. */
export interface RawResponse {
  /** The status code, or undefined when the connection closed before a status line. */
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One request as bytes: anything a hostile client could send, including lies about the body's length. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** Half-close after writing, so a server waiting for a longer body than was sent sees the end at once. */
  readonly endAfterWrite?: boolean;
}

const decodeChunked = (raw: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
};

const parse = (raw: Buffer): RawResponse => {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: undefined, headers: {}, body: '' };
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(headEnd + 4);
  const length = headers['content-length'];
  const body = headers['transfer-encoding']?.includes('chunked') ? decodeChunked(rest) : length === undefined ? rest : rest.subarray(0, Number(length));
  return { status: Number.isFinite(status) ? status : undefined, headers, body: body.toString('utf8') };
};

/**
 * Sends bytes exactly as given (no client library to tidy them up) with `Connection: close`, and reads until the
 * server closes. Rejects when nothing has closed the exchange within `timeoutMs`: a hang.
 */
export const sendRaw = (origin: string, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the exchange within ${timeoutMs} ms: ${request.method} ${request.path.slice(0, 80)}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // A reset after the answer (the server closing while our extra bytes are unread) still leaves the answer.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks)));
    });
    const head = [`${request.method} ${request.path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...request.headers.map(([name, value]) => `${name}: ${value}`)];
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), request.body]));
    if (request.endAfterWrite) socket.end();
  });
