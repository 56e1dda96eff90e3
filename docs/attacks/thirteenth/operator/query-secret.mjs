// A credential carried in a query parameter whose name is not "secret-looking" (Azure Functions' ?code=, ?apiToken is
// caught, ?code / ?access / ?x-goog-... are not) is not in the scrubber: an upstream error quoting the URL leaks it.
import { upstream, gateway, chat, admin } from './lib.mjs';
const QS = 'AzFuncHostKey-QUERYSECRET-0123456789==';
const u = await upstream((req, body, res) => { res.writeHead(400, { 'content-type': 'application/json', 'x-upstream-url': req.url }); res.end(JSON.stringify({ error: { message: `No route for ${req.url}`, type: 'invalid_request_error' } })); });
for (const name of ['code', 'apikey', 'sv', 'access', 'clientId', 'subscription']) {
  const gw = await gateway([u], { endpoint: { query: { [name]: QS } }, router: { maxAttempts: 1 } });
  const r = await chat(gw, 'gpt-4.1-mini'); const t = await r.text();
  console.log(`query ${name}: status ${r.status} body leaks=${t.includes('QUERYSECRET')} header leaks=${(r.headers.get('x-upstream-url') ?? '').includes('QUERYSECRET')} :: ${t.slice(0, 140)}`);
  await gw.close(100);
}
await u.close();
