// Context-overflow wording per provider (real messages, sources in SCRIPTS.md). Endpoint a serves "m", b serves
// "m-long"; router.fallbacks sends context overflows of m to m-long. Control: vLLM wording (recognised).
import { fake, gateway, openai, chatOk, hardExit } from './lib.mjs';
hardExit(200000);
const cases = [
  ['control vLLM 400', 400, { object: 'error', message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.", type: 'BadRequestError', param: null, code: 400 }],
  ['xAI 400', 400, { error: { message: "This model's maximum prompt length is 131072 but the request contains 537812 tokens", type: 'invalid_request_error' } }],
  ['Together 400', 400, { error: { message: "The input (516368 tokens) is longer than the model's context length (262144 tokens).", type: 'invalid_request_error', param: null, code: null } }],
  ['llama.cpp 400', 400, { error: { code: 400, message: 'request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 9412, n_ctx: 8192 } }],
  ['Ollama 400', 400, { error: { message: 'prompt too long; exceeded max context length by 1200 tokens', type: 'invalid_request_error', param: null, code: null } }],
  ['Ollama 500', 500, { error: { message: 'prompt too long; exceeded max context length by 1200 tokens', type: 'api_error', param: null, code: null } }],
  ['Kimi 400', 400, { error: { message: 'Invalid request: Your request exceeded model token limit: 262144 (requested: 300000)', type: 'invalid_request_error' } }],
  ['z.ai 400', 400, { error: { code: '1261', message: 'Prompt exceeds max length' } }],
  ['DashScope/Qwen 400', 400, { error: { message: '<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 129024]', type: 'invalid_request_error', param: null, code: 'invalid_parameter_error' } }],
  ['OpenRouter/Poolside 400', 400, { error: { message: 'Input length 300000 exceeds the maximum allowed input length of 262144 tokens.', code: 400 } }],
];
for (const [name, status, body] of cases) {
  const a = await fake('a', (q, s) => { s.writeHead(status, { 'content-type': 'application/json' }); s.end(JSON.stringify(body)); });
  const b = await fake('b', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(chatOk('m-long')); });
  const g = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'ka', models: ['m'], provider: 'other' }, { name: 'b', baseUrl: b.url, apiKey: 'kb', models: ['m-long'], provider: 'other' }], router: { fallbacks: { m: { contextLength: 'm-long' } } } });
  let out;
  try { const r = await openai(g).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).withResponse(); out = `${r.response.status} model=${r.response.headers.get('x-detour-model')} endpoint=${r.response.headers.get('x-detour-endpoint')}`; }
  catch (e) { out = `ERR ${e.status}`; }
  const st = await g.state(); const ea = st.endpoints.find((e) => e.name === 'a');
  console.log(`${name.padEnd(24)} a=${a.count} b=${b.count} -> ${out}; a.breaker=${ea.breaker} a.successRate=${ea.successRate} a.reason=${ea.reason}`);
  await g.stop(); a.server.close(); b.server.close();
}
process.exit(0);
