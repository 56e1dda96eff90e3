// docs/rescue.md: continue (mistral dialect), replay, failed replay (vary-answer) through createFetch + openai SDK; events
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const mk = async (name, prefill) => startChaosUpstream({ name, answers: 'deterministic', completionTokens: 60, prefill });
const primary = await mk('primary'); const cont = await mk('cont', 'mistral'); const rep = await mk('rep');
const run = async (label, backup, extra = {}, backupScript) => {
  primary.setScript([{ fault: { type: 'cut-stream', afterTokens: 20, mode: 'reset' } }]);
  backup.up.setScript(backupScript ?? []);
  const fetch = createFetch({ endpoints: [
    { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary-123456', priority: 0 },
    { name: backup.name, baseUrl: backup.up.baseUrl, apiKey: 'sk-backup-1234567', priority: 1, ...extra } ] });
  const events = []; fetch.router.subscribe((e) => { if (e.type === 'stream-rescue' || e.type === 'stream-end') events.push(e); });
  if (label === 'continue') console.log('rescueHeartbeatMs default:', fetch.router.options.rescueHeartbeatMs);
  const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });
  let text = ''; let finish = 0;
  try {
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Tell me' }] });
    for await (const c of stream) { text += c.choices[0]?.delta?.content ?? ''; if (c.choices[0]?.finish_reason) finish++; }
    console.log(label, 'OK words', text.trim().split(/\s+/).length, 'finish', finish);
  } catch (e) { console.log(label, 'THREW', e.constructor.name, e.message); }
  for (const e of events) console.log('  event', e.type, JSON.stringify({ from: e.from, to: e.to, mode: e.mode, outcome: e.outcome, endpoint: e.endpoint }));
  await fetch.router.close();
};
await run('continue', { name: 'cont', up: cont }, { continuation: 'mistral' });
await run('replay', { name: 'rep', up: rep });
await run('replay-diverges', { name: 'rep', up: rep }, {}, [{ fault: { type: 'vary-answer', afterTokens: 5 } }]);
for (const u of [primary, cont, rep]) await u.close();
