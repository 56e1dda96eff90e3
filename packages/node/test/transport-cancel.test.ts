import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { agentOptionsSchema, createUndiciTransport } from '../src/undici-transport';

// Found through the gateway: a stored-response lookup reads only a status and cancels the body. Undici then emits an
// abort error on a body nobody listens to, which used to be an uncaught exception: a crashed process.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

describe('cancelling a response body on the undici transport', () => {
  it('closes an unread body without an uncaught error, with or without a reason', async () => {
    // A whole answer that nobody reads (as a lookup's), then one whose body is still open when it is cancelled.
    let count = 0;
    const server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      count += 1;
      if (count % 2 === 1) response.end('{"id":"resp_1","object":"response"}');
      else response.write('{"id":"resp_1",');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/responses/resp_1`;
    const transport = createUndiciTransport(agentOptionsSchema.parse({}));
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      for (const reason of [undefined, undefined, new Error('lookup done'), new Error('lookup done')]) {
        const response = await transport({ endpoint: 'a', url, method: 'GET', headers: {}, body: undefined }, new AbortController().signal);
        expect(response.status).toBe(200);
        response.cancel(reason);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await transport.close().catch(() => undefined);
    }
  });
});
