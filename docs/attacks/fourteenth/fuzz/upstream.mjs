// A scriptable upstream: raw TCP, minimal HTTP/1.1 parser, per-endpoint plans. Loopback only.
import net from 'node:net';
import zlib from 'node:zlib';

export const TEXT = 'Hello wörld — 你好 🌍 ok.';
export const keyFor = (i) => `sk-fuzz-SECRET-${i}-0123456789abcdefABCDEF`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const chunkObj = (delta, finish = null, extra = {}) => ({ id: 'chatcmpl-fz', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
export const completion = (content = TEXT) => ({ id: 'chatcmpl-fz', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } });

/** Builds a plan's body bytes and a description of what it is (whole? content?). */
export const render = (plan, key) => {
  const nl = plan.crlf ? '\r\n' : '\n';
  let body = '';
  let whole = null; // content string if this is a whole answer
  const echo = plan.echoKey ? key : '';
  switch (plan.shape) {
    case 'json': body = JSON.stringify(completion()); whole = { kind: 'json', content: TEXT }; break;
    case 'jsonNoFinish': { const c = completion(); delete c.choices[0].finish_reason; body = JSON.stringify(c); break; }
    case 'jsonWrong': body = JSON.stringify(plan.wrong ?? { ok: true, data: [1, 2] }); break;
    case 'jsonTrunc': { const s = JSON.stringify(completion()); body = s.slice(0, Math.max(1, Math.floor(s.length * plan.frac))); break; }
    case 'empty': body = ''; break;
    case 'html': body = `<html><body><h1>502 Bad Gateway</h1>${echo}</body></html>`; break;
    case 'oaiError': body = JSON.stringify({ error: { message: `${plan.msg} ${echo}`, type: plan.etype, param: null, code: plan.code } }); break;
    case 'oaiErrorKeyLast': body = `{"error":{"message":"Incorrect API key provided: ${key}"}}`; break;
    case 'plainKeyLast': body = `Incorrect API key provided: ${key}\n`; break;
    case 'antError': body = JSON.stringify({ type: 'error', error: { type: plan.etype, message: `${plan.msg} ${echo}` } }); break;
    case 'sse': {
      // Build events
      const cps = [...TEXT];
      const pieces = [];
      let i = 0;
      for (const n of plan.pieceSizes) { if (i >= cps.length) break; pieces.push(cps.slice(i, i + n).join('')); i += n; }
      if (i < cps.length) pieces.push(cps.slice(i).join(''));
      const events = [];
      events.push({ data: JSON.stringify(chunkObj({ role: 'assistant', content: '' })) });
      for (const p of pieces) events.push({ data: JSON.stringify(chunkObj({ content: p })), content: p });
      if (plan.keyInStream) events.splice(Math.min(events.length, 1 + plan.keyAt), 0, { data: JSON.stringify(chunkObj({ content: `key=${key}` })), content: `key=${key}` });
      if (!plan.noFinish) events.push({ data: JSON.stringify(chunkObj({}, 'stop')), finish: true });
      if (plan.usage) events.push({ data: JSON.stringify({ ...chunkObj({}), choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } }) });
      if (!plan.noDone) events.push({ data: '[DONE]', done: true });
      if (plan.dupAt != null && events.length) { const k = plan.dupAt % events.length; events.splice(k, 0, events[k]); }
      if (plan.errorAt != null) { const k = Math.min(events.length, plan.errorAt); events.splice(k, 0, plan.errorEventStyle ? { event: 'error', data: JSON.stringify({ error: { message: `overloaded ${echo}`, type: 'server_error' } }), err: true } : { data: JSON.stringify({ error: { message: `upstream failed ${echo}`, code: 502 } }), err: true }); }
      if (plan.keepAliveAt != null) events.splice(Math.min(events.length, plan.keepAliveAt), 0, { comment: `: keep-alive ${echo}` });
      let cut = plan.cutAt != null ? Math.min(events.length, plan.cutAt) : events.length;
      const sent = events.slice(0, cut);
      let text = '';
      for (const e of sent) {
        if (e.comment) text += e.comment + nl + nl;
        else text += (e.event ? `event: ${e.event}${nl}` : '') + `data: ${e.data}${nl}${nl}`;
      }
      body = text;
      const firstTerm = sent.findIndex((e) => e.done || e.finish);
      const firstErr = sent.findIndex((e) => e.err);
      const terminated = firstTerm >= 0;
      const hasErr = firstErr >= 0 && (!terminated || firstErr < firstTerm);
      // content up to the first error
      let content = '';
      for (const e of sent) { if (e.err) break; if (e.content) content += e.content; }
      if (!hasErr && terminated) whole = { kind: 'sse', content };
      break;
    }
  }
  return { body: Buffer.from(body, 'utf8'), whole };
};

export const startUpstream = async () => {
  const state = { plans: [[]], requests: [], wholes: [], openSockets: new Set(), log: [] };
  const server = net.createServer((sock) => {
    state.openSockets.add(sock);
    sock.on('close', () => state.openSockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let busy = false;
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const headEnd = buf.indexOf('\r\n\r\n');
          if (headEnd < 0) break;
          const head = buf.subarray(0, headEnd).toString('latin1');
          const lines = head.split('\r\n');
          const [method, path] = lines[0].split(' ');
          const headers = {};
          for (const l of lines.slice(1)) { const i = l.indexOf(':'); headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
          let len = Number(headers['content-length'] ?? 0);
          let bodyBuf;
          if (headers['transfer-encoding']?.includes('chunked')) {
            // minimal chunked decode
            let p = headEnd + 4; const parts = []; let done = false;
            for (;;) { const e = buf.indexOf('\r\n', p); if (e < 0) break; const n = parseInt(buf.subarray(p, e).toString(), 16); if (buf.length < e + 2 + n + 2) break; if (n === 0) { p = e + 4; done = true; break; } parts.push(buf.subarray(e + 2, e + 2 + n)); p = e + 2 + n + 2; }
            if (!done) break;
            bodyBuf = Buffer.concat(parts); buf = buf.subarray(p);
          } else {
            if (buf.length < headEnd + 4 + len) break;
            bodyBuf = buf.subarray(headEnd + 4, headEnd + 4 + len); buf = buf.subarray(headEnd + 4 + len);
          }
          await respond(sock, method, path, headers, bodyBuf);
          if (sock.destroyed || sock.writableEnded) return;
        }
      } finally { busy = false; }
    };
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); pump(); });
  });
  const respond = async (sock, method, path, headers, bodyBuf) => {
    const m = /^\/e(\d+)(\/.*)$/.exec(path);
    const ep = m ? Number(m[1]) : -1;
    const seq = state.plans[ep] ?? [];
    const n = state.requests.filter((r) => r.ep === ep).length;
    const plan = seq[Math.min(n, seq.length - 1)];
    state.requests.push({ ep, path, auth: headers.authorization ?? headers['x-api-key'], body: bodyBuf.toString() });
    if (!plan) { sock.end('HTTP/1.1 500 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'); return; }
    const key = keyFor(ep);
    const { body: raw, whole } = render(plan, key);
    if (whole && plan.status >= 200 && plan.status < 300) state.wholes.push(whole);
    let body = raw;
    const h = [];
    h.push(`HTTP/1.1 ${plan.status} ${plan.reason ?? 'X'}`);
    if (plan.ctype) h.push(`content-type: ${plan.ctype}`);
    if (plan.encoding === 'gzip-real') { body = zlib.gzipSync(body); h.push('content-encoding: gzip'); }
    else if (plan.encoding === 'gzip-lie') h.push('content-encoding: gzip');
    else if (plan.encoding === 'br-lie') h.push('content-encoding: br');
    for (const [k, v] of plan.extraHeaders ?? []) h.push(`${k}: ${v === '$KEY' ? key : v}`);
    if (plan.echoKeyHeader) h.push(`x-upstream-debug: auth=Bearer ${key}`);
    const chunked = plan.framing === 'chunked';
    if (chunked) h.push('transfer-encoding: chunked');
    else if (plan.framing === 'cl-right') h.push(`content-length: ${body.length}`);
    else if (plan.framing === 'cl-long') h.push(`content-length: ${body.length + 17}`);
    else if (plan.framing === 'cl-short') h.push(`content-length: ${Math.max(0, body.length - 5)}`);
    // 'none': no length, close-delimited
    const closeAfter = plan.framing === 'none' || plan.framing === 'cl-long' || plan.connClose;
    if (closeAfter) h.push('connection: close');
    sock.write(h.join('\r\n') + '\r\n\r\n');
    // split body at random points (plan.splits are fractions)
    const cuts = [...new Set((plan.splits ?? []).map((f) => Math.floor(f * body.length)))].filter((x) => x > 0 && x < body.length).sort((a, b) => a - b);
    let prev = 0;
    const pieces = [];
    for (const c of cuts) { pieces.push(body.subarray(prev, c)); prev = c; }
    pieces.push(body.subarray(prev));
    for (let i = 0; i < pieces.length; i++) {
      if (sock.destroyed) return;
      const p = pieces[i];
      if (p.length) sock.write(chunked ? Buffer.concat([Buffer.from(p.length.toString(16) + '\r\n'), p, Buffer.from('\r\n')]) : p);
      const d = plan.delays?.[i] ?? 0;
      if (d) await sleep(d);
    }
    if (sock.destroyed) return;
    if (plan.end === 'reset') { sock.resetAndDestroy(); return; }
    if (plan.end === 'stall') { await sleep(plan.stallMs ?? 4000); sock.destroy(); return; }
    if (plan.end === 'close-nofinal') { sock.end(); return; } // chunked without terminating 0-chunk
    if (chunked) sock.write('0\r\n\r\n');
    if (closeAfter || plan.end === 'close') sock.end();
  };
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    state, port, base: (i) => `http://127.0.0.1:${port}/e${i}/v1`,
    reset(plans) { state.plans = plans; state.requests = []; state.wholes = []; },
    close: () => { for (const s of state.openSockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
};
