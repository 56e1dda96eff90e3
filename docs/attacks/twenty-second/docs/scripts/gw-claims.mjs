// Gateway claims from apps/worker/README.md (routes, error table, headers, metrics) and docs/dashboard.md (admin routes, costs CLI).
// Starts two testkit upstreams and the installed gateway (node_modules/.bin/detour-gateway) on port 0; everything stops by itself.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startChaosUpstream } from '@detour/testkit';
const primary = await startChaosUpstream({ name: 'primary' });
const backup = await startChaosUpstream({ name: 'backup' });
const cfg = { endpoints: [
  { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary-abcdef123456', priority: 0, models: ['gpt-4.1', 'gpt-4.1-mini'] },
  { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup-abcdef123456', priority: 1, models: ['gpt-4.1', 'gpt-4.1-mini'] },
  { name: 'claude', baseUrl: primary.url + '/v1', apiKey: 'sk-ant-abcdef1234567', provider: 'anthropic', models: ['claude-sonnet-4-5'] } ],
  gatewayKeys: [{ key: 'gk-team-a-1', name: 'team-a' }, 'gk-plain-2'], admin: { key: 'adm-secret-99' }, accessLog: true };
fs.writeFileSync('/tmp/gwclaims.json', JSON.stringify(cfg));
const gw = spawn('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', '--config', '/tmp/gwclaims.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const killer = setTimeout(() => gw.kill('SIGKILL'), 60000);
let out = ''; gw.stdout.on('data', (d) => { out += d; }); gw.stderr.on('data', (d) => { out += d; });
while (!/listening on (http:\/\/\S+)/.test(out)) await new Promise((r) => setTimeout(r, 50));
const base = out.match(/listening on (http:\/\/\S+)/)[1];
const H = { authorization: 'Bearer gk-team-a-1', 'content-type': 'application/json' };
const show = async (label, path, init = {}) => { const r = await fetch(base + path, init); const t = await r.text();
  const hx = [...r.headers].filter(([k]) => /^(x-detour|x-should-retry|retry-after|www-authenticate|content-security-policy|cache-control|x-frame|referrer)/.test(k)).map(([k, v]) => `${k}: ${v.slice(0, 60)}`).join('; ');
  console.log(`${label}\n   -> ${r.status} [${hx}] ${t.replace(/\s+/g, ' ').slice(0, 220)}`); return { r, t }; };
const chat = (model = 'gpt-4.1') => JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] });
await show('unauth chat (README 262: 401 invalid_api_key)', '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat() });
await show('unauth messages (README 254: anthropic shape, x-detour-error unauthorized)', '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: '{}' });
await show('bad response id (README 263: 400 invalid_request)', '/v1/responses/bad.id!', { headers: H });
await show('unknown ?api= (README 263)', '/v1/models?api=bogus', { headers: H });
await show('api_not_served (README 264)', '/v1/messages', { method: 'POST', headers: { ...H, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }) });
await show('gzip body (README 266: 415 unsupported_encoding)', '/v1/chat/completions', { method: 'POST', headers: { ...H, 'content-encoding': 'gzip' }, body: chat() });
await show('malformed JSON (README 267: invalid_json)', '/v1/chat/completions', { method: 'POST', headers: H, body: '{"model":' });
await show('no model (README 267: invalid_request)', '/v1/chat/completions', { method: 'POST', headers: H, body: '{"messages":[]}' });
await show('deep JSON (README 268: json_too_deep)', '/v1/chat/completions', { method: 'POST', headers: H, body: '{"model":"gpt-4.1","x":' + '['.repeat(200) + ']'.repeat(200) + '}' });
await show('unknown model (README 271: 404 model_not_found)', '/v1/chat/completions', { method: 'POST', headers: H, body: chat('nope-model') });
await show('unknown route (README 230: 404 Unknown route)', '/v1/moderations', { method: 'POST', headers: H, body: '{}' });
await show('stored chat completions route (README 230-231: 404)', '/v1/chat/completions/abc', { headers: H });
await show('CORS preflight (README 232: not answered)', '/v1/chat/completions', { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' } });
await show('models list (README 244)', '/v1/models', { headers: H });
await show('models list anthropic shape (README 246-248)', '/v1/models', { headers: { ...H, 'anthropic-version': '2023-06-01' } });
await show('models ?api=messages', '/v1/models?api=messages', { headers: H });
await show('GET /v1/models/{id} (README 220)', '/v1/models/gpt-4.1', { headers: H });
primary.setScript([{ when: { path: '/v1/chat/completions' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30000 } }]);
backup.setScript([{ when: { path: '/v1/chat/completions' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30000 } }]);
await show('all endpoints 429 (README 276/278: provider status, x-detour-error attempts_exhausted, x-should-retry false)', '/v1/chat/completions', { method: 'POST', headers: H, body: chat() });
await show('all cooling (README 272: 503 no_endpoint_available + Retry-After)', '/v1/chat/completions', { method: 'POST', headers: H, body: chat() });
primary.setScript([]); backup.setScript([]);
primary.setScript([{ when: { path: '/v1/messages' }, fault: { type: 'unauthorized' } }]);
await show('upstream 401 (README 275: 502 upstream_auth_failed)', '/v1/messages', { method: 'POST', headers: { ...H, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }) });
primary.setScript([]);
await show('mini OK via key 2', '/v1/chat/completions', { method: 'POST', headers: { ...H, authorization: 'Bearer gk-plain-2' }, body: chat('gpt-4.1-mini') });
await show('x-api-key gateway key on OpenAI route (README 262: either header)', '/v1/embeddings', { method: 'POST', headers: { 'x-api-key': 'gk-team-a-1', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', input: 'x' }) });
await show('healthz', '/healthz');
await show('dashboard no key (dashboard.md 40-41: 401 + WWW-Authenticate Basic)', '/dashboard');
await show('dashboard gateway key (401)', '/dashboard', { headers: { authorization: 'Bearer gk-team-a-1' } });
const d = await show('dashboard Basic auth (dashboard.md 40)', '/dashboard', { headers: { authorization: 'Basic ' + Buffer.from('anyone:adm-secret-99').toString('base64') } });
await show('admin/state', '/admin/state', { headers: { authorization: 'Bearer adm-secret-99' } });
await show('admin/costs window=1h', '/admin/costs?window=1h', { headers: { authorization: 'Bearer adm-secret-99' } });
await show('admin/costs window=25h (dashboard.md 112: 400 invalid_window)', '/admin/costs?window=25h', { headers: { authorization: 'Bearer adm-secret-99' } });
await show('admin/costs window=30s (below 1m)', '/admin/costs?window=30s', { headers: { authorization: 'Bearer adm-secret-99' } });
const m = await (await fetch(base + '/metrics')).text();
fs.writeFileSync('/tmp/attack22/out/gw-metrics.txt', m);
const documented = ['detour_requests_total','detour_rejected_requests_total','detour_attempts_total','detour_retries_total','detour_failovers_total','detour_model_fallbacks_total','detour_stream_ends_total','detour_stream_duration_seconds','detour_stream_rescues_total','detour_breaker_state','detour_endpoint_cooldown_seconds','detour_model_cooldown_seconds','detour_endpoint_resting_seconds','detour_endpoint_available','detour_request_duration_seconds','detour_time_to_first_byte_seconds','detour_attempt_duration_seconds','detour_tokens_total','detour_cost_usd_total','detour_endpoint_quota_remaining','detour_admissions_delayed_total','detour_admissions_refused_total','detour_queue_depth','detour_queue_wait_seconds','detour_token_estimate_ratio','process_resident_memory_bytes','nodejs_heap_size_used_bytes','nodejs_heap_size_total_bytes','nodejs_eventloop_lag_p99_seconds','nodejs_eventloop_lag_max_seconds','process_open_fds','process_max_fds','detour_access_log_dropped_total'];
const exposed = [...new Set([...m.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((x) => `${x[1]} ${x[2]}`))];
console.log('metrics exposed (TYPE lines):', exposed.join(', '));
console.log('documented but no TYPE line:', documented.filter((n) => !exposed.some((e) => e.startsWith(n + ' '))).join(', ') || 'none');
console.log('exposed but undocumented:', exposed.map((e) => e.split(' ')[0]).filter((n) => !documented.includes(n)).join(', ') || 'none');
for (const line of m.split('\n').filter((l) => /^detour_(requests_total|rejected_requests_total|attempts_total|cost_usd_total|tokens_total)\{/.test(l))) console.log('  ', line);
// costs CLI
const cli = (args, env = {}) => { try { return execFileSync('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', 'costs', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15000, stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) { return `exit ${e.status}: ${e.stdout}${e.stderr}`; } };
console.log('--- costs CLI (dashboard.md 134)\n' + cli(['--url', base, '--window', '1h'], { DETOUR_ADMIN_KEY: 'adm-secret-99' }));
console.log('--- costs CLI wrong key\n' + cli(['--url', base], { DETOUR_ADMIN_KEY: 'wrong-key-1' }));
console.log('--- costs CLI bad window\n' + cli(['--url', base, '--window', '2w', '--admin-key', 'adm-secret-99']));
console.log('--- costs CLI --json\n' + cli(['--url', base, '--json', '--admin-key', 'adm-secret-99']).slice(0, 300));
console.log('--- costs CLI unreachable\n' + cli(['--url', 'http://127.0.0.1:9', '--admin-key', 'adm-secret-99']));
gw.kill('SIGTERM');
const code = await new Promise((r) => gw.on('exit', (c, s) => r(c ?? s)));
clearTimeout(killer);
console.log('--- gateway exit on SIGTERM:', code);
console.log('--- access log lines:\n' + out.split('\n').filter((l) => l.startsWith('{')).slice(0, 40).join('\n'));
await primary.close(); await backup.close();
