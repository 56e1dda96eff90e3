import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startChaosUpstream } from '@detour/testkit';
const primary = await startChaosUpstream({
  name: 'primary',
  script: [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1500 } }],
});
const client = new OpenAI({ baseURL: primary.baseUrl, apiKey: 'test', maxRetries: 0 });
await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
  .catch((error) => console.log(error.status));
const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
reply.choices[0].message.content;
primary.stats().byOutcome;
primary.setScript([{ when: { path: '/v1/messages' }, fault: { type: 'status', status: 529 } }]);
const claude = new Anthropic({ baseURL: primary.url, apiKey: 'test', maxRetries: 0 });
await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] })
  .catch((error) => console.log(error.status));
(await client.responses.create({ model: 'gpt-4o-mini', input: 'Hi' })).output_text;
await primary.close();
