// The gateway's own /v1/models answers for model ids with a slash and a colon (OpenRouter / Ollama style), openai SDK.
import OpenAI from 'openai';
import { upstream, gateway, json, UPKEY, GK, show } from './lib.mjs';
const up = await upstream((req, buf, res) => json(res, 404, {}));
const gw = await gateway([{ name: 'or', baseUrl: up.url, apiKey: UPKEY, provider: 'openrouter', models: ['openai/gpt-4.1', 'llama3.1:8b', 'gpt-4.1'] }]);
const c = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries: 0 });
show('list', (await c.models.list()).data.map((m) => m.id));
for (const id of ['gpt-4.1', 'openai/gpt-4.1', 'llama3.1:8b']) {
  try { const m = await c.models.retrieve(id); show(`retrieve ${id}`, `ok id=${m.id}`); } catch (e) { show(`retrieve ${id}`, `THROWS ${e.status} ${e.message.slice(0, 120)}`); }
}
await gw.close(0); await up.close();
