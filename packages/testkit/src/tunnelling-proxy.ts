import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A forward proxy for tests, started by {@link startTunnellingProxy}. */
export interface TunnellingProxy {
  /** `http://127.0.0.1:<port>`: what `HTTPS_PROXY` or `agent.proxy` names. */
  readonly url: string;
  /** Each CONNECT it was asked for: the target (`host:port`) and the `Proxy-Authorization` sent, in order. */
  readonly asked: readonly { readonly target: string; readonly authorization: string | undefined }[];
  /** Stops it, closing every tunnel. */
  close(): Promise<void>;
}

/**
 * Starts an egress proxy on 127.0.0.1 (port 0) that tunnels CONNECT requests, resolving every host it is asked for to
 * 127.0.0.1: a client behind it names an endpoint by a host name that need not resolve (the proxy resolves it), and
 * the test sees which hosts went through the proxy and with what credentials. Plain requests get 405.
 */
export const startTunnellingProxy = async (): Promise<TunnellingProxy> => {
  const asked: { target: string; authorization: string | undefined }[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((_, response) => response.writeHead(405).end());
  server.on('connection', track);
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    asked.push({ target, authorization: request.headers['proxy-authorization'] });
    const upstream = connect(Number(target.split(':').at(-1)), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
};
