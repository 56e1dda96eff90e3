// Two upstreams (`main`, `backup`) that answer every request with one chat completion and the header fields OpenAI
// sends with it: 26 of them (Cloudflare's and two cookies among them), where the testkit upstream sends 14. A
// proxy's cost per answer grows with its fields, and past about 20 of them V8 keeps a record of them as a dictionary
// rather than a fast object: `profile/instructions.mjs --headers openai` counts that case. Prints one JSON line with
// their URLs; answers JSON only (no streams).
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 'chatcmpl-060b31ff8a331', object: 'chat.completion', created: 1796546780, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from main. This is a scripted reply', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
  usage: {
    prompt_tokens: 8, completion_tokens: 8, total_tokens: 16, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default', system_fingerprint: null,
});

let served = 0;

/** The fields in the order and spelling api.openai.com sends them, with this answer's date, ids and cookies. */
const headerFields = () => {
  served += 1;
  const id = served.toString(16).padStart(32, '0');
  return [
    'Date', new Date().toUTCString(), 'Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body)), 'Connection', 'keep-alive',
    'access-control-expose-headers', 'X-Request-ID', 'openai-organization', 'user-abc123', 'openai-processing-ms', '412', 'openai-project', 'proj_abcdef123456',
    'openai-version', '2020-10-01', 'x-envoy-upstream-service-time', '415', 'x-ratelimit-limit-requests', '10000', 'x-ratelimit-limit-tokens', '30000000',
    'x-ratelimit-remaining-requests', '9999', 'x-ratelimit-remaining-tokens', '29999990', 'x-ratelimit-reset-requests', '6ms', 'x-ratelimit-reset-tokens', '0s',
    'x-request-id', `req_${id}`, 'strict-transport-security', 'max-age=31536000; includeSubDomains; preload', 'cf-cache-status', 'DYNAMIC',
    'Set-Cookie', `__cf_bm=${id}; path=/; expires=Sun, 06-Dec-26 09:16:20 GMT; domain=.api.openai.com; HttpOnly; Secure; SameSite=None`,
    'Set-Cookie', `_cfuvid=${id}-1733476580000-0.0.1.1-604800000; path=/; domain=.api.openai.com; HttpOnly; Secure; SameSite=None`,
    'X-Content-Type-Options', 'nosniff', 'Server', 'cloudflare', 'CF-RAY', `${id.slice(-16)}-AMS`, 'alt-svc', 'h3=":443"; ma=86400', 'Keep-Alive', 'timeout=5',
  ];
};

const listen = () =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      request.resume();
      request.once('end', () => {
        response.writeHead(200, headerFields());
        response.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });

const [main, backup] = await Promise.all([listen(), listen()]);
console.log(JSON.stringify({ main, backup }));
