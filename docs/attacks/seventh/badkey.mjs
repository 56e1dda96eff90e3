import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'x' });
for (const key of ['sk-…SECRETX', 'sk-SECRETX\r\nx-evil: 1', 'sk-SECRETX\n']) {
  let fetch;
  try { fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: key }, { name: 'b', baseUrl: up.baseUrl, apiKey: 'ok', priority: 1 }] }); }
  catch (e) { console.log(JSON.stringify(key), 'rejected at config:', e.message.replace(/\n/g, ' | '), /SECRETX/.test(e.message) ? 'ECHOES KEY' : ''); continue; }
  try { const r = await fetch(up.baseUrl + '/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    const t = await r.text(); console.log(JSON.stringify(key), '-> status', r.status, r.headers.get('x-detour-endpoint'), r.headers.get('x-detour-error'), t.slice(0, 200), /SECRETX/.test(t) ? 'ECHOES KEY' : '', 'upstream saw', up.stats().total);
    console.log('   health reason:', JSON.stringify(fetch.router.health()).slice(0, 400));
  } catch (e) { console.log(JSON.stringify(key), 'fetch threw', e.message, /SECRETX/.test(e.message) ? 'ECHOES KEY' : ''); }
  await fetch.router.close();
}
await up.close();
