// Probe: does request.signal abort in this Worker when the caller disconnects (under miniflare)?
let log = [];
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/log') return Response.json(log);
    const t0 = Date.now();
    request.signal.addEventListener('abort', () => log.push(`signal aborted after ${Date.now() - t0} ms`));
    await new Promise((r) => setTimeout(r, 5000));
    log.push(`handler finished after ${Date.now() - t0} ms, aborted=${request.signal.aborted}`);
    return new Response('late');
  },
};
