// The same SDK calls through the gateway CLI (baseURL = gateway). Fake OpenAI-compatible + Anthropic upstreams.
// Records which calls work, which are refused and how (status, error code/type, SDK error class).
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, fakeUpstream, json, root, watchdog } from './lib.mjs';
watchdog(90000);
const { OpenAI, Anthropic } = await load();
const { toFile } = await import(`${root}/packages/node/node_modules/openai/index.mjs`);

let respN = 0;
const oa = await fakeUpstream('openai', (rec, req, res) => {
  const u = rec.url;
  const h = { 'x-request-id': 'req_up_1', 'openai-processing-ms': '7', 'x-ratelimit-remaining-requests': '42' };
  if (u.startsWith('/v1/chat/completions')) return json(res, 200, { id: 'c1', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }, h);
  if (u.startsWith('/v1/embeddings')) {
    const b = JSON.parse(rec.body);
    const b64 = Buffer.from(new Float32Array([1, 2]).buffer).toString('base64');
    return json(res, 200, { object: 'list', model: b.model, data: b.input.map((_, i) => ({ object: 'embedding', index: i, embedding: b.encoding_format === 'base64' ? b64 : [1, 2] })), usage: { prompt_tokens: 1, total_tokens: 1 } }, h);
  }
  if (u === '/v1/responses') { respN++; return json(res, 200, { id: `resp_${respN}`, object: 'response', status: 'completed', model: 'gpt-4.1', output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } }, h); }
  if (u.startsWith('/v1/responses/resp_')) return json(res, 200, u.includes('input_items') ? { object: 'list', data: [], has_more: false } : { id: u.split('/')[3].split('?')[0], object: 'response', status: 'completed', output: [] }, h);
  json(res, 200, { ok: true, note: 'the gateway forwarded this', url: u });
});
const an = await fakeUpstream('anthropic', (rec, req, res) => {
  const u = rec.url;
  if (u.startsWith('/v1/messages/count_tokens')) return json(res, 200, { input_tokens: 12 }, { 'request-id': 'req_ant_1' });
  if (u.startsWith('/v1/messages')) return json(res, 200, { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } }, { 'request-id': 'req_ant_1' });
  json(res, 200, { ok: true, url: u });
});
const dir = mkdtempSync(join(tmpdir(), 'gw-'));
const cfg = join(dir, 'detour.json');
writeFileSync(cfg, JSON.stringify({
  endpoints: [
    { name: 'openai', baseUrl: oa.url, apiKey: 'sk-openai-aaaaaaaaaaaaaaaa', priority: 0, models: ['gpt-4.1', 'text-embedding-3-small', 'tts-1', 'whisper-1', 'omni-moderation-latest'] },
    { name: 'claude', provider: 'anthropic', baseUrl: an.url, apiKey: 'sk-ant-bbbbbbbbbbbbbbbbbbbb', priority: 0, models: ['claude-sonnet-4-5'] },
  ],
  gatewayKeys: ['gk-test-123456789'],
}));
const gw = spawn(process.execPath, [`${root}/apps/worker/dist/cli.js`, '--config', cfg, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const killer = setTimeout(() => gw.kill('SIGKILL'), 80000);
const base = await new Promise((resolve, reject) => {
  let out = '';
  gw.stdout.on('data', (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
  gw.stderr.on('data', (d) => process.stderr.write(d));
  gw.on('exit', (c) => reject(new Error(`gateway exited ${c}`)));
});
console.log('gateway at', base);
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0 });
const claude = new Anthropic({ baseURL: base, apiKey: 'gk-test-123456789', maxRetries: 0 });

const t = async (label, fn) => {
  try {
    const r = fn();
    const { data, response } = await r.withResponse();
    const body = data instanceof Response ? `binary ${(await data.arrayBuffer()).byteLength}B` : JSON.stringify(data).slice(0, 110);
    console.log(`OK   ${label}: ${response.status} endpoint=${response.headers.get('x-detour-endpoint')} x-request-id=${response.headers.get('x-request-id') ?? response.headers.get('request-id')} ${body}`);
  } catch (e) {
    console.log(`FAIL ${label}: ${e.constructor.name} ${e.status ?? ''} code=${e.code ?? e.error?.error?.type ?? ''} ${String(e.message).slice(0, 140)}`);
  }
};
await t('chat.completions.create', () => openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }));
await t('embeddings.create base64 (SDK default) 1000 inputs', () => openai.embeddings.create({ model: 'text-embedding-3-small', input: Array.from({ length: 1000 }, (_, i) => `t${i}`) }));
await t('models.list', () => openai.models.list());
await t('models.retrieve(gpt-4.1)', () => openai.models.retrieve('gpt-4.1'));
const r1 = await openai.responses.create({ model: 'gpt-4.1', input: 'hi' });
await t(`responses.retrieve(${r1.id})`, () => openai.responses.retrieve(r1.id));
await t('responses.inputItems.list', () => openai.responses.inputItems.list(r1.id, { limit: 2, after: 'item_1' }));
await t('responses.delete', () => openai.responses.delete(r1.id));
await t('moderations.create', () => openai.moderations.create({ model: 'omni-moderation-latest', input: 'hi' }));
await t('audio.speech.create', () => openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }));
const f = await toFile(Buffer.from('RIFF....'), 'a.wav');
await t('audio.transcriptions.create', () => openai.audio.transcriptions.create({ model: 'whisper-1', file: f }));
await t('files.create', () => openai.files.create({ purpose: 'batch', file: f }));
await t('files.list', () => openai.files.list());
await t('batches.retrieve', () => openai.batches.retrieve('batch_1'));
await t('images.generate', () => openai.images.generate({ model: 'gpt-image-1', prompt: 'x' }));
await t('beta.assistants.list', () => openai.beta.assistants.list());
await t('conversations.create', () => openai.conversations.create({}));
await t('anthropic messages.create', () => claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }));
await t('anthropic messages.countTokens', () => claude.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }));
await t('anthropic models.list', () => claude.models.list());
await t('anthropic models.retrieve', () => claude.models.retrieve('claude-sonnet-4-5'));
await t('anthropic messages.batches.create', () => claude.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } }] }));
await t('anthropic messages.batches.list', () => claude.messages.batches.list());
await t('anthropic beta.files.list', () => claude.beta.files.list());
console.log('openai upstream saw:', oa.log.map((r) => `${r.method} ${r.url} ct=${r.headers['content-type']} ${r.body.length}B`));
console.log('anthropic upstream saw:', an.log.map((r) => `${r.method} ${r.url}`));
gw.kill('SIGTERM');
await new Promise((r) => gw.on('exit', r));
clearTimeout(killer);
await Promise.all([oa.close(), an.close()]);
