// count_tokens, models, batches, files upload (multipart) through createFetch and the gateway with a failing primary
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { raw, json, anthErr, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const failing = (status, type) => (req, body, res) => json(res, status, anthErr(type, 'primary fails'), { 'retry-after': '5' });
const good = (req, body, res) => {
  const u = req.url;
  if (u.startsWith('/v1/messages/count_tokens')) return json(res, 200, { input_tokens: 42 });
  if (u.startsWith('/v1/messages/batches')) return json(res, 200, { id: 'msgbatch_1', type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, ended_at: null, created_at: '2025-01-01T00:00:00Z', expires_at: '2025-01-02T00:00:00Z', cancel_initiated_at: null, results_url: null, archived_at: null });
  if (u.startsWith('/v1/models')) return json(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'S', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' });
  if (u.startsWith('/v1/files')) return json(res, 200, { id: 'file_1', type: 'file', filename: 'a.txt', mime_type: 'text/plain', size_bytes: body.length, created_at: '2025-01-01T00:00:00Z', _bodyLen: body.length, _ct: req.headers['content-type'] });
  return json(res, 200, okMsg('from backup'));
};
for (const via of ['fetch', 'gateway']) {
  for (const [status, type] of [[529, 'overloaded_error'], [429, 'rate_limit_error']]) {
    const p = await raw('p', failing(status, type));
    const b = await raw('b', good);
    let client, gw;
    if (via === 'fetch') client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
    else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
    const run = async (label, fn) => { try { const r = await fn(); console.log(`[${via} ${status}] ${label}: OK ${JSON.stringify(r).slice(0, 140)}`); } catch (e) { console.log(`[${via} ${status}] ${label}: ERR ${e.constructor.name} ${e.status} ${JSON.stringify(e.error ?? e.message).slice(0, 160)}`); } };
    await run('count_tokens', () => client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: ask.messages }));
    await run('beta count_tokens', () => client.beta.messages.countTokens({ model: 'claude-sonnet-4-5', messages: ask.messages, betas: ['token-counting-2024-11-01'] }));
    await run('models.list', async () => (await client.models.list()).data);
    await run('batches.create', () => client.messages.batches.create({ requests: [{ custom_id: 'a', params: ask }] }));
    await run('batches.retrieve', () => client.messages.batches.retrieve('msgbatch_1'));
    await run('files.upload', async () => client.beta.files.upload({ file: await toFile(Buffer.from('hello world file'), 'a.txt', { type: 'text/plain' }) }));
    console.log('   primary saw:', p.reqs.map((r) => r.method + ' ' + r.url).join(' | '));
    console.log('   backup saw:', b.reqs.map((r) => `${r.method} ${r.url} len=${r.body.length} beta=${r.headers['anthropic-beta'] ?? ''} key=${r.headers['x-api-key']}`).join(' | '));
    if (gw) await gw.close(); p.close(); b.close();
  }
}
process.exit(0);
