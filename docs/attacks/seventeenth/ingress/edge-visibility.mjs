// Do the access log and /metrics show what Node refuses on the gateway's behalf (header timeout, smuggling-shaped
// framing, oversized headers) and the body timeout the README says is logged as 408?
import { startChaos, startGateway, raw, AUTH, CHAT, hardTimeout, summarize } from './harness.mjs';
hardTimeout(60000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, { headersTimeoutMs: 1000, requestTimeoutMs: 2000 }, { args: ['--access-log'] });
const P = gw.port;
const r1 = await raw(P, 'GET /healthz HTTP/1.1\r\nhost: x\r\n', { quietMs: 3000 });
const r2 = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 500\r\n\r\n{"model":`, { quietMs: 4000 });
const r3 = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, { quietMs: 500 });
const r4 = await raw(P, `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20000)}\r\n\r\n`, { quietMs: 500 });
console.log('header timeout ->', summarize(r1.data), '| body timeout ->', summarize(r2.data), '| CL+TE ->', summarize(r3.data), '| 20 KB header ->', summarize(r4.data));
const metrics = await fetch(gw.url + '/metrics').then((r) => r.text());
console.log('access log lines:\n' + gw.child.out.split('\n').filter((l) => l.startsWith('{')).join('\n'));
console.log('metrics mentioning rejected/incomplete/timeout/client_error:\n' + metrics.split('\n').filter((l) => /reject|incomplete|timeout|client_error|parse/i.test(l) && !l.startsWith('#')).join('\n'));
process.exit(0);
