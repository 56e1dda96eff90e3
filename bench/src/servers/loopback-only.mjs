// Preloaded into Portkey's gateway with `node --import`: its start script listens on a port with no host, which
// means every interface. Any listen() call that names no host is given 127.0.0.1, so the bench stays on loopback.
// Both call forms are covered: listen({ port }) and listen(port[, backlog][, callback]).
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.host === undefined && first.path === undefined && first.fd === undefined && first.handle === undefined) {
      args[0] = { ...first, host: '127.0.0.1' };
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
