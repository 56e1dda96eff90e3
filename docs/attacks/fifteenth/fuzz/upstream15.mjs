// Scriptable raw-TCP upstream speaking Anthropic Messages and OpenAI Responses (adapted from attack 14's upstream.mjs).
import net from 'node:net';
import zlib from 'node:zlib';

export const TEXT = 'Hello wörld — 你好 🌍 ok.';
export const keyFor = (i) => `sk-fuzz-SECRET-${i}-0123456789abcdefABCDEF`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const usageFor = (u, api) => {
  const [i, o] = u === 'neg' ? [-5, -700000] : u === 'huge' ? [1e300, 1e300] : u === 'str' ? ['5', 'seven'] : u === 'big' ? [5, 2e9] : [5, 7];
  if (u === 'none') return undefined;
  return api === 'messages' ? { input_tokens: i, output_tokens: o } : { input_tokens: i, output_tokens: o, total_tokens: typeof i === 'number' ? i + o : 12 };
};
export const message = (plan, content = TEXT) => ({ id: 'msg_fz', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: content }], stop_reason: 'end_turn', stop_sequence: null, usage: usageFor(plan.usage, 'messages') });
export const response = (plan, content = TEXT, status = 'completed') => ({ id: 'resp_fz1', object: 'response', created_at: 1, status, model: 'gpt-4.1-mini', output: status === 'completed' || status === 'incomplete' ? [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: content, annotations: [] }] }] : [], error: status === 'failed' ? { code: 'server_error', message: 'failed' } : null, incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null, usage: usageFor(plan.usage, 'responses') });

const echoOf = (plan, key) => {
  if (!plan.echoKey) return '';
  switch (plan.echoStyle) {
    case 'cut': return key.slice(0, 8 + (plan.keyAt * 3) % 25);
    case 'tail': return key.slice(-(8 + (plan.keyAt * 3) % 20));
    case 'uesc': return key.replace(/S/g, '\\u0053').replace(/-/g, '\\u002d'); // JSON-escaped inside a JSON string
    case 'slash': return `${key.slice(0, 10)}\\/${key.slice(10)}`; // JSON \/ escape
    case 'pct': return encodeURIComponent(key).replace(/-/g, '%2D');
    default: return key;
  }
};

const sseText = (events, nl) => events.map((e) => (e.comment ? e.comment + nl + nl : (e.event ? `event: ${e.event}${nl}` : '') + `data: ${e.data}${nl}${nl}`)).join('');
const pieces = (plan) => { const cps = [...TEXT]; const out = []; let i = 0; for (const n of plan.pieceSizes) { if (i >= cps.length) break; out.push(cps.slice(i, i + n).join('')); i += n; } if (i < cps.length) out.push(cps.slice(i).join('')); return out; };

const messagesEvents = (plan, echo) => {
  const ev = (type, obj, extra = {}) => ({ event: type, data: JSON.stringify({ type, ...obj }), type, ...extra });
  const events = [];
  if (!plan.noStart) events.push(ev('message_start', { message: { ...message(plan, ''), content: [], stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } }, { start: true }));
  events.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  events.push(ev('ping', {}));
  for (const p of pieces(plan)) events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } }, { content: p }));
  events.push(ev('content_block_stop', { index: 0 }));
  events.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: usageFor(plan.usage, 'messages') ?? { output_tokens: 7 } }));
  if (!plan.noFinish) events.push(ev('message_stop', {}, { done: true }));
  const errEv = { event: 'error', data: JSON.stringify({ type: 'error', error: { type: plan.etype, message: `${plan.msg} ${echo}` } }), err: true };
  return { events, errEv, pingOnly: () => [ev('ping', {}), ev('ping', {}), ev('ping', {})] };
};
const responsesEvents = (plan, echo) => {
  let seq = 0;
  const ev = (type, obj, extra = {}) => ({ event: type, data: JSON.stringify({ type, sequence_number: seq++, ...obj }), type, ...extra });
  const events = [];
  if (!plan.noStart) events.push(ev('response.created', { response: response(plan, '', 'in_progress') }, { start: true }));
  events.push(ev('response.in_progress', { response: response(plan, '', 'in_progress') }));
  events.push(ev('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] } }));
  events.push(ev('response.content_part.added', { item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
  for (const p of pieces(plan)) events.push(ev('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: p }, { content: p }));
  events.push(ev('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text: TEXT }));
  events.push(ev('response.output_item.done', { output_index: 0, item: { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: TEXT, annotations: [] }] } }));
  if (!plan.noFinish) {
    const term = plan.respTerm ?? 'completed';
    if (term === 'completed') events.push(ev('response.completed', { response: response(plan, TEXT, 'completed') }, { done: true }));
    else if (term === 'failed') events.push(ev('response.failed', { response: { ...response(plan, TEXT, 'failed'), error: { code: 'server_error', message: `boom ${echo}` } } }, { err: true }));
    else if (term === 'incomplete') events.push(ev('response.incomplete', { response: response(plan, TEXT, 'incomplete') }, { incomplete: true }));
    else if (term === 'completedButFailed') events.push(ev('response.completed', { response: response(plan, TEXT, 'failed') }, { err: true }));
  }
  const errEv = { event: 'error', data: JSON.stringify({ type: 'error', sequence_number: 99, code: 'server_error', message: `overloaded ${echo}`, param: null }), err: true };
  return { events, errEv, pingOnly: () => [{ comment: ': keep-alive' }, { comment: ': keep-alive' }] };
};

export const render = (plan, key, api) => {
  const nl = plan.crlf ? '\r\n' : '\n';
  let body = '';
  let whole = null;
  const echo = echoOf(plan, key);
  switch (plan.shape) {
    case 'json': {
      if (api === 'messages') { body = JSON.stringify(message(plan)); whole = { kind: 'json', content: TEXT }; }
      else { const st = plan.respTerm === 'completedButFailed' ? 'failed' : plan.respTerm ?? 'completed'; body = JSON.stringify(response(plan, TEXT, st)); if (st === 'completed') whole = { kind: 'json', content: TEXT }; else if (st === 'incomplete') whole = { kind: 'json', content: TEXT, incomplete: true }; }
      break;
    }
    case 'jsonWrong': body = JSON.stringify(api === 'messages' ? { id: 'chatcmpl-x', object: 'chat.completion', choices: [{ message: { content: TEXT } }] } : { ok: true, data: [1, 2] }); break;
    case 'jsonTrunc': { const s = JSON.stringify(api === 'messages' ? message(plan) : response(plan)); body = s.slice(0, Math.max(1, Math.floor(s.length * plan.frac))); break; }
    case 'empty': body = ''; break;
    case 'html': body = `<html><body><h1>502 Bad Gateway</h1>${echo}</body></html>`; break;
    case 'plain': body = `upstream said: invalid x-api-key ${echo}`; break;
    case 'oaiError': body = `{"error":{"message":"${plan.msg} ${echo}","type":"${plan.etype}","param":null,"code":${plan.code ? `"${plan.code}"` : 'null'}}}`; break;
    case 'antError': body = `{"type":"error","error":{"type":"${plan.etype}","message":"${plan.msg} ${echo}"},"request_id":"req_x"}`; break;
    case 'sse': {
      const g = api === 'messages' ? messagesEvents(plan, echo) : responsesEvents(plan, echo);
      let events = plan.pingOnly ? g.pingOnly() : g.events;
      if (plan.swapAt != null && events.length > 2) { const k = plan.swapAt % (events.length - 1); [events[k], events[k + 1]] = [events[k + 1], events[k]]; }
      if (plan.dupAt != null && events.length) { const k = plan.dupAt % events.length; events.splice(k, 0, events[k]); }
      if (plan.errorAt != null) events.splice(Math.min(events.length, plan.errorAt), 0, g.errEv);
      if (plan.keepAliveAt != null) events.splice(Math.min(events.length, plan.keepAliveAt), 0, { comment: `: keep-alive ${echo}` });
      const cut = plan.cutAt != null ? Math.min(events.length, plan.cutAt) : events.length;
      const sent = events.slice(0, cut);
      body = sseText(sent, nl);
      // whole: starts with a start event (before any content), terminal done event, no error before it, deltas before done
      const iDone = sent.findIndex((e) => e.done || e.incomplete);
      const iErr = sent.findIndex((e) => e.err);
      const iStart = sent.findIndex((e) => e.start);
      let content = '';
      for (const e of sent.slice(0, iDone < 0 ? sent.length : iDone)) if (e.content) content += e.content;
      const ordered = iStart === 0 || (iStart > 0 && sent.slice(0, iStart).every((e) => e.comment || e.type === 'ping'));
      if (iDone >= 0 && (iErr < 0 || iErr > iDone) && ordered) whole = { kind: 'sse', content, incomplete: sent[iDone].incomplete || undefined };
      break;
    }
  }
  return { body: Buffer.from(body, 'utf8'), whole };
};

export const startUpstream = async (api) => {
  const state = { plans: [[]], requests: [], wholes: [], openSockets: new Set() };
  const server = net.createServer((sock) => {
    state.openSockets.add(sock);
    sock.on('close', () => state.openSockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let busy = false;
    const pump = async () => {
      if (busy) return; busy = true;
      try {
        for (;;) {
          const headEnd = buf.indexOf('\r\n\r\n'); if (headEnd < 0) break;
          const head = buf.subarray(0, headEnd).toString('latin1'); const lines = head.split('\r\n'); const [method, path] = lines[0].split(' ');
          const headers = {}; for (const l of lines.slice(1)) { const i = l.indexOf(':'); headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
          const len = Number(headers['content-length'] ?? 0); let bodyBuf;
          if (headers['transfer-encoding']?.includes('chunked')) {
            let p = headEnd + 4; const parts = []; let done = false;
            for (;;) { const e = buf.indexOf('\r\n', p); if (e < 0) break; const n = parseInt(buf.subarray(p, e).toString(), 16); if (buf.length < e + 2 + n + 2) break; if (n === 0) { p = e + 4; done = true; break; } parts.push(buf.subarray(e + 2, e + 2 + n)); p = e + 2 + n + 2; }
            if (!done) break; bodyBuf = Buffer.concat(parts); buf = buf.subarray(p);
          } else { if (buf.length < headEnd + 4 + len) break; bodyBuf = buf.subarray(headEnd + 4, headEnd + 4 + len); buf = buf.subarray(headEnd + 4 + len); }
          await respond(sock, method, path, headers, bodyBuf);
          if (sock.destroyed || sock.writableEnded) return;
        }
      } finally { busy = false; }
    };
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); pump(); });
  });
  const respond = async (sock, method, path, headers, bodyBuf) => {
    const m = /^\/e(\d+)(\/.*)$/.exec(path); const ep = m ? Number(m[1]) : -1;
    const seq = state.plans[ep] ?? [];
    const n = state.requests.filter((r) => r.ep === ep).length;
    const plan = seq[Math.min(n, seq.length - 1)];
    state.requests.push({ ep, method, path, auth: headers.authorization ?? headers['x-api-key'], body: bodyBuf.toString() });
    if (!plan) { sock.end('HTTP/1.1 500 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'); return; }
    const key = keyFor(ep);
    const { body: raw, whole } = render(plan, key, api);
    if (whole && plan.status >= 200 && plan.status < 300) state.wholes.push({ ...whole, ep });
    let body = raw; const h = [];
    h.push(`HTTP/1.1 ${plan.status} X`);
    if (plan.ctype) h.push(`content-type: ${plan.ctype}`);
    if (plan.encoding === 'gzip-real') { body = zlib.gzipSync(body); h.push('content-encoding: gzip'); }
    else if (plan.encoding === 'gzip-lie') h.push('content-encoding: gzip');
    for (const [k, v] of plan.extraHeaders ?? []) h.push(`${k}: ${v === '$KEY' ? key : v}`);
    if (plan.echoKeyHeader) h.push(`x-upstream-debug: key=${echoOf({ ...plan, echoKey: true }, key)}`);
    const chunked = plan.framing === 'chunked';
    if (chunked) h.push('transfer-encoding: chunked');
    else if (plan.framing === 'cl-right') h.push(`content-length: ${body.length}`);
    else if (plan.framing === 'cl-long') h.push(`content-length: ${body.length + 17}`);
    else if (plan.framing === 'cl-short') h.push(`content-length: ${Math.max(0, body.length - 5)}`);
    const closeAfter = plan.framing === 'none' || plan.framing === 'cl-long' || plan.connClose;
    if (closeAfter) h.push('connection: close');
    sock.write(h.join('\r\n') + '\r\n\r\n');
    let cuts;
    if (plan.byteSplit) cuts = Array.from({ length: body.length - 1 }, (_, i) => i + 1); // split at every byte
    else cuts = [...new Set((plan.splits ?? []).map((f) => Math.floor(f * body.length)))].filter((x) => x > 0 && x < body.length).sort((a, b) => a - b);
    let prev = 0; const ps = [];
    for (const c of cuts) { ps.push(body.subarray(prev, c)); prev = c; }
    ps.push(body.subarray(prev));
    // a reset/close at a random point of the body
    const stopAt = plan.end === 'reset-mid' || plan.end === 'close-mid' ? Math.floor(plan.frac * ps.length) : ps.length;
    for (let i = 0; i < Math.min(stopAt, ps.length); i++) {
      if (sock.destroyed) return;
      const p = ps[i];
      if (p.length) sock.write(chunked ? Buffer.concat([Buffer.from(p.length.toString(16) + '\r\n'), p, Buffer.from('\r\n')]) : p);
      const d = plan.byteSplit ? (i % 16 === 0 ? 1 : 0) : plan.delays?.[i] ?? 0;
      if (d) await sleep(d);
    }
    if (sock.destroyed) return;
    if (plan.end === 'reset' || plan.end === 'reset-mid') { sock.resetAndDestroy(); return; }
    if (plan.end === 'close-mid') { sock.end(); return; }
    if (plan.end === 'stall') { await sleep(plan.stallMs ?? 4000); sock.destroy(); return; }
    if (plan.end === 'close-nofinal') { sock.end(); return; }
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
