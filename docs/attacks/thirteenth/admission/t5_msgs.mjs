// refusal shape on /v1/messages; reservations after upstream errors / resets / hangs-with-client-abort
import http from 'node:http';
import { startGateway, healthz } from './lib.mjs';
let mode = 'ok';
const srv = http.createServer((req, res) => { let b=''; req.on('data',c=>b+=c); req.on('end',()=>{
  if (mode === 'reset') return req.socket.destroy();
  if (mode === 'hang') return;
  if (mode === '500') { res.writeHead(500, {'content-type':'application/json'}); return res.end('{"error":{"message":"boom","type":"server_error"}}'); }
  if (req.url.includes('/messages')) { res.writeHead(200, {'content-type':'application/json','anthropic-ratelimit-requests-limit':'10','anthropic-ratelimit-requests-remaining':'0','anthropic-ratelimit-requests-reset': new Date(Date.now()+30000).toISOString()}); return res.end(JSON.stringify({id:'m',type:'message',role:'assistant',model:'claude',content:[{type:'text',text:'hi'}],stop_reason:'end_turn',usage:{input_tokens:5,output_tokens:2}})); }
  res.writeHead(200, {'content-type':'application/json'}); res.end(JSON.stringify({id:'x',object:'chat.completion',created:1,model:'m',choices:[{index:0,message:{role:'assistant',content:'hi'},finish_reason:'stop'}],usage:{prompt_tokens:5,completion_tokens:2,total_tokens:7}}));
});});
await new Promise(r => srv.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${srv.address().port}/v1`;
const gw = await startGateway({ endpoints: [{ name: 'c', provider: 'anthropic', baseUrl: base, apiKey: 'sk' }, { name: 'o', baseUrl: base, apiKey: 'sk', limits: { rpm: 1000, tpm: 100000 } }], gatewayKeys: ['gk'], router: { attemptTimeoutMs: 1500, maxAttempts: 1 } });
const msg = () => fetch(gw.url + '/v1/messages', { method: 'POST', headers: { 'x-api-key': 'gk', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) }).then(async r => [r.status, r.headers.get('retry-after'), (await r.text()).slice(0, 250)]);
console.log('msg1', await msg()); console.log('msg2', await msg());
const chat = (signal) => fetch(gw.url + '/v1/chat/completions', { method: 'POST', signal, headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 5000, messages: [{ role: 'user', content: 'hi' }] }) }).then(async r => [r.status, (await r.text()).slice(0, 100)]).catch(e => e.name);
for (const m of ['500', 'reset', 'hang']) { mode = m; console.log(m, await chat(m === 'hang' ? AbortSignal.timeout(500) : undefined)); await new Promise(r => setTimeout(r, 1700)); const hz = await healthz(gw); console.log(' after', m, JSON.stringify(hz.queue), JSON.stringify(hz.endpoints?.find(e => e.name === 'o')?.quotaRemaining)); }
gw.p.kill('SIGTERM'); srv.close(); srv.closeAllConnections(); process.exit(0);
