export const REPO = process.env.REPO ?? '/tmp/attack18c/repo';
export const core = await import(`${REPO}/packages/core/dist/index.js`);
const enc = new TextEncoder();
export const okBody = (model='m') => enc.encode(JSON.stringify({id:'x',object:'chat.completion',created:1,model,choices:[{index:0,message:{role:'assistant',content:'hi'},finish_reason:'stop'}],usage:{prompt_tokens:5,completion_tokens:2,total_tokens:7}}));
export const resp = (status, bodyBytes, headers={}) => ({ status, headers: {'content-type':'application/json', ...headers}, headersLowerCase: true, body: (async function*(){ yield bodyBytes; })(), cancel(){} });
export const makeEndpoints = (n, extra = () => ({})) => Array.from({length:n}, (_, i) => ({ name: `ep-${String(i).padStart(4,'0')}`, baseUrl: 'http://127.0.0.1:9/v1', apiKey: `sk-proj-${'k'.repeat(20)}${String(i).padStart(6,'0')}abcdef`, ...extra(i) }));
export const pct = (arr, p) => { const s=[...arr].sort((a,b)=>a-b); return s[Math.min(s.length-1, Math.floor(p*s.length))]; };
export const hr = () => Number(process.hrtime.bigint())/1e6;
