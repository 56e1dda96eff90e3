// One request and its verdict, over node:http so the client controls the socket: it can destroy it, stop reading,
// or leave before the answer. Every exchange settles exactly once, into one outcome:
//   ok          a whole, correct answer
//   error       a visible error: an HTTP error status, or a connection broken before the answer was whole
//   truncated   a 2xx stream that ended cleanly without `[DONE]` (silent truncation)
//   malformed   a 2xx answer that ended cleanly but is not a correct answer (malformed success)
//   hang        no verdict within the bound (the gateway's deadline plus a margin)
//   abandoned   the client left on purpose, as planned
// A slow reader reads the whole stream but pauses after every chunk, so long streams back up into the gateway.
import http from 'node:http';
import { expectedText, jsonProblem, streamVerdict } from './expected-answer.mjs';
import { createSseReader } from './sse-reader.mjs';

const errorCodeOf = (body) => {
  try {
    const code = JSON.parse(body)?.error?.code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : 'no error.code';
  } catch {
    return 'non-JSON error body';
  }
};

/**
 * @param {{ url: string, key: string, boundMs: number, idleBoundMs: number, longestReply: number, replyWords: Record<string, number>, agent: http.Agent }} client
 * @param {string} kind
 * @param {ReturnType<import('./request-kinds.mjs').buildRequest>} spec
 * @returns {Promise<{ kind: string, outcome: string, detail?: string, endpoint?: string }>}
 */
export const exchange = (client, kind, spec) =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(client.url);
    const payload = Buffer.from(JSON.stringify(spec.body));
    let settled = false;
    let endpoint;
    let progress = 'not connected yet';
    const sentAt = Date.now();
    let lastByteAt;
    const settle = (outcome, detail) => {
      if (settled) return;
      settled = true;
      clearTimeout(bound);
      resolve({ kind, outcome, detail, endpoint });
    };
    const request = http.request({
      agent: client.agent,
      host: hostname,
      port,
      method: 'POST',
      path: spec.path,
      headers: { authorization: `Bearer ${client.key}`, 'content-type': 'application/json', 'content-length': payload.length },
    });
    // A slow reader stretches its own stream: its bound grows by one pause per event of the longest reply.
    const boundMs = client.boundMs + (kind === 'slow-reader' ? spec.readPauseMs * client.longestReply : 0);
    const onHang = (what) => () => {
      const quiet = lastByteAt === undefined ? '' : `, last byte ${((Date.now() - lastByteAt) / 1000).toFixed(1)} s ago`;
      settle('hang', `${what} (${progress}${quiet})`);
      request.destroy();
    };
    let bound = setTimeout(onHang(`no verdict after ${boundMs} ms`), boundMs);
    // Once a stream has begun, the deadline no longer bounds it (it lives while it moves): a hang is a stream that
    // stops moving for longer than the gateway's idle bound plus a margin, however long it has run.
    const idleBoundMs = client.idleBoundMs + (kind === 'slow-reader' ? spec.readPauseMs : 0);
    const stillMoving = () => {
      clearTimeout(bound);
      bound = setTimeout(onHang(`no byte for ${idleBoundMs} ms after the stream began`), idleBoundMs);
    };
    // Errors after the verdict (our own destroy, for instance) are expected; before it they are visible errors.
    request.on('error', (error) => settle('error', `connection ${error.code ?? error.message} (${progress})`));
    // Where a request without an answer was stuck: still connecting (the gateway not accepting), or sent and unanswered.
    let connection = 'not connected yet';
    let flushed = false;
    const describeWait = () => `${connection}; ${flushed ? 'request sent, no response yet' : 'request not flushed yet'}`;
    request.once('socket', (socket) => {
      // Only a connecting socket gets a listener: a reused keep-alive socket would collect one per request.
      if (!socket.connecting) connection = 'reused connection';
      else {
        socket.once('connect', () => {
          connection = `connected after ${Date.now() - sentAt} ms`;
          if (progress.startsWith('not connected') || progress.startsWith('connected')) progress = describeWait();
        });
      }
      progress = describeWait();
    });
    request.once('finish', () => {
      flushed = true;
      if (!progress.startsWith('status')) progress = describeWait();
    });
    if (kind === 'abandon-early') {
      request.once('finish', () => {
        request.destroy();
        settle('abandoned');
      });
    }
    request.on('response', (response) => {
      endpoint = response.headers['x-detour-endpoint'];
      const status = response.statusCode ?? 0;
      progress = `status ${status}`;
      response.on('error', () => {});
      response.on('close', () => {
        if (!response.complete) settle('error', `connection broken mid-body (${progress})`);
      });
      if (status >= 400) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body = (body + chunk).slice(0, 4096)));
        response.on('end', () => settle('error', `${status} ${response.headers['x-detour-error'] ?? errorCodeOf(body)}`));
        return;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        settle('malformed', `status ${status}`);
        return;
      }
      const expected = {
        text: endpoint && client.replyWords[endpoint] !== undefined ? expectedText(endpoint, client.replyWords[endpoint]) : undefined,
        others: Object.fromEntries(Object.entries(client.replyWords).filter(([name]) => name !== endpoint).map(([name, words]) => [name, expectedText(name, words)])),
        inputs: spec.inputs,
        usageAsked: spec.usageAsked,
      };
      response.setEncoding('utf8');
      if (!spec.stream) {
        let body = '';
        response.on('data', (chunk) => {
          lastByteAt = Date.now();
          body += chunk;
        });
        response.on('end', () => {
          const problem = jsonProblem(kind, body, expected);
          settle(problem ? 'malformed' : 'ok', problem);
        });
        return;
      }
      const contentType = String(response.headers['content-type'] ?? '');
      const reader = createSseReader();
      response.on('data', (chunk) => {
        lastByteAt = Date.now();
        if (!settled) stillMoving();
        reader.push(chunk);
        progress = `status ${status}, ${reader.events} events`;
        if (kind === 'slow-reader') {
          response.pause();
          setTimeout(() => response.resume(), spec.readPauseMs);
          return;
        }
        if (reader.events < spec.abandonAfterEvents || settled) return;
        if (kind === 'abandon-destroy') {
          request.destroy();
          settle('abandoned');
        } else if (kind === 'abandon-stall') {
          // Stop reading with the socket open; the gateway's writes back up until we finally leave.
          response.pause();
          settled = true;
          clearTimeout(bound);
          setTimeout(() => {
            request.destroy();
            resolve({ kind, outcome: 'abandoned', endpoint });
          }, spec.stallMs);
        }
      });
      response.on('end', () => {
        if (!contentType.includes('text/event-stream')) return settle('malformed', `2xx stream answer with content-type ${contentType || 'none'}`);
        const [outcome, detail] = streamVerdict(reader, expected);
        settle(outcome, detail);
      });
    });
    request.end(payload);
  });
