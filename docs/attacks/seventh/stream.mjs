import http from 'node:http';
// Streams a request; records chunks with timestamps and how the response ended. abortAfterMs: caller hangs up.
export const streamReq = (base, { path = '/v1/chat/completions', headers = {}, body, abortAfterMs, timeout = 12000 } = {}) => new Promise((resolve) => {
  const u = new URL(base); const t0 = Date.now();
  const out = { status: 0, headers: {}, text: '', end: null, ms: 0, firstByteMs: null };
  const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path, headers: { ...headers, 'accept-encoding': 'identity' }, agent: false });
  const done = (how) => { if (out.end) return; out.end = how; out.ms = Date.now() - t0; clearTimeout(timer); resolve(out); };
  const timer = setTimeout(() => { req.destroy(); done('client-timeout'); }, timeout);
  req.on('response', (res) => {
    out.status = res.statusCode; out.headers = res.headers;
    res.on('data', (c) => { if (out.firstByteMs === null) out.firstByteMs = Date.now() - t0; out.text += c; });
    res.on('end', () => done('clean-end'));
    res.on('aborted', () => done('aborted'));
    res.on('error', (e) => done('error:' + e.code));
    if (abortAfterMs) setTimeout(() => { req.destroy(); done('caller-aborted'); }, abortAfterMs);
  });
  req.on('error', (e) => done('req-error:' + e.code));
  req.end(body);
});
