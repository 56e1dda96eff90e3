import type { AddressInfo, Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { StateStore } from '@detour/core';
import type { RedisStore } from '@detour/redis';
import { systemClock } from '@detour/core/binding';
import { createRouter, type NodeRouter, type NodeRouterOptions } from '@detour/node';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { createApp } from '../app';
import type { GatewayConfig } from '../config/load-config';
import { createGatewayMetrics } from '../metrics/gateway-metrics';
import { gatewayAuthenticator } from '../middleware/gateway-auth';
import { createAccessLog } from './access-log';
import { answerClientError } from './client-error';
import { createStore } from './create-store';
import { createLineWriter } from './line-writer';
import { createNodeAdapter, requestHeader } from './node-adapter';
import { registerProcessMetrics } from './process-metrics';
import { setupTracing } from './setup-tracing';
import { withTraceContext, withoutTraceContext } from './trace-context';

/** A running Node gateway. */
export interface RunningGateway {
  /** `http://host:port`, the address it listens on. */
  readonly url: string;
  readonly router: NodeRouter;
  /** The Node HTTP server underneath, for embedding and tests. */
  readonly server: Server;
  /**
   * Stops accepting connections, lets in-flight requests and streams finish within `graceMs` (the config's
   * `shutdownGraceMs` by default), then closes whatever is left and the upstream pools. With `shutdownDelayMs`, the
   * port stays open that long first (`/healthz` at 503), unless `graceMs` is 0.
   */
  close(graceMs?: number): Promise<void>;
}

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  readonly config: GatewayConfig;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * A shared state store for a fleet. By default the one the config names (`store.redis`), else in-memory. The
   * gateway closes a store it created itself.
   */
  readonly store?: StateStore;
  /** Writes the access log (one JSON line per request) when given. @default off (the config's `accessLog: true` writes to stdout) */
  readonly accessLog?: (line: string) => void;
}

/**
 * Starts the gateway on Node: the shared Hono app on `@hono/node-server`, with the undici transport from
 * `@detour/node`. Binds to 127.0.0.1 unless told otherwise.
 */
export const startGateway = async ({ config, port = 0, host = '127.0.0.1', store: given, accessLog }: StartGatewayOptions): Promise<RunningGateway> => {
  const owned = given ? undefined : await createStore(config);
  const store = given ?? owned;
  const tracing = await setupTracing(config.tracing);
  const router = createRouter(nodeRouterOptions(config), { ...(store ? { store } : {}), ...(tracing.tracer === false ? { tracer: false } : {}) });
  // The router's clock, which never steps back, for every window and stamp: router events are stamped by it.
  // The access log on stdout (the config's `accessLog`): a reader that stopped reading or went away must neither
  // grow the heap nor kill the gateway (see createLineWriter).
  const stdoutLog = accessLog === undefined && config.accessLog ? createLineWriter(process.stdout) : undefined;
  const metrics = createGatewayMetrics(router, systemClock.now, (registry) => {
    if (stdoutLog) {
      const dropped = registry.counter('detour_access_log_dropped_total', 'Access-log lines dropped: stdout was not being read, or failed.');
      stdoutLog.onDrop = () => dropped.inc();
    }
    return registerProcessMetrics(registry);
  });
  const { streamIdleTimeoutMs } = router.options;
  // Set once the gateway drains (every answer then closes its connection), and once its grace runs out and it cuts
  // what is left (the access log logs those 444): see `close`.
  const drain = { draining: false, cut: false };
  const app = createApp({
    config, router, metrics, now: systemClock.now, createAdapter: ({ scrub }) => createNodeAdapter({ scrub, streamIdleTimeoutMs, drain }),
    ...(store && 'fault' in store ? { storeFault: () => (store as RedisStore).fault } : {}),
    draining: () => drain.draining,
  });
  // Slow clients must not hold sockets for Node's default five minutes: a whole request (never a response, which
  // may stream for minutes) must arrive within requestTimeoutMs, its headers within headersTimeoutMs. Node checks
  // both only every connectionsCheckingInterval (30 s by default, which made a 10 s limit fire at up to 40 s):
  // check a tenth as often as the shorter limit, within [100 ms, 1 s], so each fires at most that much late.
  const { headersTimeoutMs: headersTimeout, requestTimeoutMs: requestTimeout } = config;
  const connectionsCheckingInterval = Math.min(1000, Math.max(100, Math.floor(Math.min(headersTimeout, requestTimeout) / 10)));
  const writeLog = accessLog ?? stdoutLog?.write;
  const log = writeLog ? createAccessLog(router, writeLog, () => drain.cut) : undefined;
  // Joined, a caller's trace context decides sampling and where the spans go; `ignore` starts each trace afresh.
  const handler = config.tracing === 'off' ? app.fetch : config.traceContext === 'ignore' ? withoutTraceContext(app.fetch) : withTraceContext(app.fetch);
  /** Lets go of what the start opened besides the server: on close, and when the server cannot listen. */
  const release = () => {
    metrics.dispose();
    log?.dispose();
    // What the log has written reaches its reader before the process exits (within a second: it may not be read).
    // Every caller's connection has closed: whatever the pool still holds was abandoned (a connect to a dead endpoint
    // held the exit up to `connectTimeoutMs`), so it is cut rather than waited for.
    // The store closes after the router: its close tells the fleet the last quota spend through it (attack 19, F3).
    return Promise.all([router.close({ graceMs: 0 }).then(() => owned?.close()), tracing.shutdown()]).then(() => stdoutLog?.flush(1000));
  };
  const server: ServerType = await new Promise((resolve, reject) => {
    const started: ServerType = serve(
      {
        fetch: log ? log.wrap(handler) : handler, port, hostname: host,
        serverOptions: { headersTimeout, requestTimeout, connectionsCheckingInterval },
        // Whatever a request leaves unread (a body over maxBodyBytes, a refused caller's) is read and dropped after
        // the answer, up to 0.5 s and 64 MiB, then the connection closes: the caller reads its answer rather than a
        // reset, and nobody holds a connection by never finishing a body.
        autoCleanupIncoming: true,
      },
      () => {
        started.off('error', refuse);
        resolve(started);
      },
    );
    // A port in use (or an address not on this machine) fails the start with one line naming it, where it was an
    // unhandled 'error' event and a stack trace; what the start opened is closed first.
    const refuse = (error: NodeJS.ErrnoException) => void release().finally(() => reject(listenFailure(error, host, port)));
    started.once('error', refuse);
  });
  const http = server as Server;
  const sockets = countSockets(http);
  http.on('clientError', answerClientError((refusal) => {
    metrics.rejected(refusal.reason);
    log?.refused(refusal);
  }));
  // Node closes an idle caller connection after 5 s by default, before a load balancer in front does (ALB: 60 s).
  http.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Node answers `Expect: 100-continue` itself unless asked: a body the gateway will refuse is then not invited, and
  // the 413 (or the 401 of a caller without a gateway key) goes out in place of `100 Continue`.
  const authenticate = gatewayAuthenticator({ keys: config.gatewayKeys, header: (request, name) => requestHeader(request as unknown as IncomingMessage, name) });
  const keyed = (request: IncomingMessage) => {
    try {
      authenticate(request as unknown as Context);
      return true;
    } catch {
      return false;
    }
  };
  http.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (!(Number(request.headers['content-length']) > config.maxBodyBytes) && keyed(request)) response.writeContinue();
    http.emit('request', request, response);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;

  return {
    url,
    router,
    server: http,
    close(graceMs = config.shutdownGraceMs) {
      closing ??= new Promise<void>((resolve) => {
        // Every answer from now on says `Connection: close`, and Node closes its connection once it is written: a
        // caller that would reuse the connection opens another (elsewhere, behind a balancer) rather than send its
        // next request into a socket the sweep below closes under it. The adapter reads `drain` for answers already
        // under way; this listener catches requests that arrive on open connections.
        drain.draining = true;
        http.prependListener('request', (_: IncomingMessage, response: ServerResponse) => {
          response.shouldKeepAlive = false;
        });
        // `shutdownDelayMs`: the port stays open (and `/healthz` says 503) while balancers learn the gateway is leaving.
        const stop = () => {
          // Out of grace: the router is shut down first, so that what the closing connections cut (a stream, a
          // request waiting or mid-attempt) is recorded as the shutdown's doing, not its callers' or its endpoints'.
          const force = setTimeout(() => {
            drain.cut = true;
            router.shutDown();
            http.closeAllConnections();
          }, graceMs);
          force.unref();
          // Idle keep-alive sockets would hold close() open; busy ones become idle as their responses finish, so
          // keep closing idle ones until the server is down.
          const sweep = setInterval(() => http.closeIdleConnections(), 100);
          sweep.unref();
          http.close(() => {
            clearTimeout(force);
            clearInterval(sweep);
            // The server's `close` comes as its last connection is destroyed, before that socket closes and its
            // response hears `close`: a stream the grace cut settles then (its cost, its log line, its metrics). Let
            // go of the log and metrics once every socket has closed, or the cut stream's cost reaches neither.
            sockets.whenClosed(() => void release().finally(resolve));
          });
          http.closeIdleConnections();
        };
        // A close with no grace (`close(0)`) means now: it waits out no delay either.
        if (config.shutdownDelayMs > 0 && graceMs > 0) setTimeout(stop, config.shutdownDelayMs).unref();
        else stop();
      });
      return closing;
    },
  };
};

/** The router's options with the config's connection pool (`agent`), which only the Node entry has. */
export const nodeRouterOptions = (config: GatewayConfig): NodeRouterOptions => (config.agent ? { ...config.router, agent: config.agent } : config.router);

/** Why the gateway could not listen, in the words an operator acts on (the error's code stays on `cause`). */
const listenFailure = (error: NodeJS.ErrnoException, host: string, port: number): Error => {
  const reason = error.code === 'EADDRINUSE' ? 'the port is in use by another process (pick another --port)'
    : error.code === 'EADDRNOTAVAIL' ? 'the address is not one of this machine\'s (--host)'
    : error.code === 'EACCES' ? 'this process may not use that port (pick one above 1023)'
    : error.message;
  return new Error(`Cannot listen on ${host}:${port}: ${reason}`, { cause: error });
};

/**
 * Counts a server's open caller connections (a listener a connection, not a request) and calls back once none is
 * left: a socket's `close` comes a turn of the event loop after the server's own.
 */
const countSockets = (http: Server) => {
  let open = 0;
  let onNone: (() => void) | undefined;
  const closed = () => {
    open -= 1;
    // After the socket's other `close` listeners: its response's, which settles a cut stream, comes later than this.
    if (open === 0 && onNone) queueMicrotask(onNone);
  };
  http.on('connection', (socket: Socket) => {
    open += 1;
    socket.once('close', closed);
  });
  return {
    whenClosed(callback: () => void) {
      if (open === 0) callback();
      else onNone = callback;
    },
  };
};
