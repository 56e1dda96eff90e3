// Exit timing of short scripts on the Vercel AI SDK through createFetch (cap 45 s), beside the same without Detour.
import { spawnUpstream, timeExit } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 40, script: [{ when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 300 } }] }, 300);
const scenarios = ['ai-generateText', 'ai-streamText-full', 'ai-streamText-break', 'ai-streamText-abort', 'ai-streamText-unconsumed', 'plain-ai-streamText-unconsumed', 'ai-streamText-partial', 'plain-ai-streamText-partial'];
await Promise.all(scenarios.map(async (s, i) => {
  await new Promise((r) => setTimeout(r, i * 1500));
  const r = await timeExit('exit-child.mjs', [s, A.url, A.url], 45000);
  console.log(`${s.padEnd(31)} exit after DONE: ${r.afterDoneMs ?? '-'} ms (code ${r.code}${r.signal ? ' ' + r.signal : ''}) | ${r.out.split('\n').filter((l) => l.startsWith('DONE')).join('')}${r.err ? ' | stderr: ' + r.err.slice(0, 200).replace(/\n/g, ' / ') : ''}`);
}));
A.kill();
