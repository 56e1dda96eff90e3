// What the scrubber does to legitimate model output, per configured credential (direct call of core's scrubber).
import { createSecretScrubber } from '@detour/core';
// endpointSecrets is internal to core; same rule as packages/core/src/secrets/secret-scrubber.ts:302 (key, non-public headers and query values).
const publicHeaders = new Set(['accept','accept-language','anthropic-beta','anthropic-version','content-type','http-referer','openai-beta','api-version','openai-organization','openai-project','referer','user-agent','x-title']);
const publicQuery = new Set(['api-version','apiversion','version','alt','format']);
const endpointSecrets = (eps) => { const s = new Set(); for (const e of eps) { if (e.apiKey) s.add(e.apiKey); for (const [n, v] of Object.entries(e.headers ?? {})) if (!publicHeaders.has(n.toLowerCase())) s.add(v); for (const [n, v] of Object.entries(e.query ?? {})) if (!publicQuery.has(n.toLowerCase())) s.add(v); } return [...s]; };
const cases = [
  // [secrets (endpoint config), legitimate answer text]
  [{ apiKey: 'x' }, 'x marks the spot; max(x, y)'],
  [{ apiKey: 'EMPTY' }, 'The list is EMPTY.'],
  [{ apiKey: 'lm-studio' }, 'Install lm-studio, then run `lms server start`.'],
  [{ apiKey: 'password' }, 'Never store a password in plain text; hash the password.'],
  [{ apiKey: 'not-needed' }, 'A key is not-needed for local models.'],
  [{ apiKey: '12345678' }, 'Order 12345678 shipped; call 1-234-5678.'],
  [{ apiKey: 'sk-test-aaaaBBBB1111cccc2222', headers: { 'Helicone-Property-Environment': 'production' } }, 'Deploy to production after staging. {"env":"production"}'],
  [{ apiKey: 'sk-test-aaaaBBBB1111cccc2222', headers: { 'x-portkey-provider': 'azure-openai' } }, 'Use the azure-openai package.'],
  [{ apiKey: 'sk-test-aaaaBBBB1111cccc2222', query: { deployment: 'gpt-4o-mini' } }, '{"id":"chatcmpl-1","model":"gpt-4o-mini","choices":[{"message":{"content":"I am gpt-4o-mini"}}]}'],
  [{ apiKey: 'sk-test-aaaaBBBB1111cccc2222', headers: { 'Accept-Encoding': 'identity' } }, 'Your identity is verified.'],
  // A Supabase/self-hosted gateway key that is a JWT (HS256): every HS256 JWT shares its header.
  [{ apiKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMH0.Qm9xR3dKc1ZmZ2hUeXBLd3RjbVhhbXBsZVNpZ24' }, 'The example JWT from jwt.io is eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  // UUID key (pieceable): an answer with another UUID sharing the version nibble etc.
  [{ apiKey: '550e8400-e29b-41d4-a716-446655440000' }, 'Example UUID: 550e8400-e29b-41d4-a716-446655440000 is the RFC sample.'],
  // A key whose public opening is long: ends in a common word stretch
  [{ apiKey: 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }, 'OpenRouter keys look like sk-or-v1-0123... and hex 0123456789abcdef is common.'],
  // percent-decoding: a wordy key appears percent-encoded in a URL the model wrote
  [{ apiKey: 'not-needed-for-local' }, 'See https://example.com/q?x=not%2Dneeded%2Dfor%2Dlocal'],
];
for (const [endpoint, text] of cases) {
  const scrub = createSecretScrubber(endpointSecrets([endpoint]));
  const out = scrub(text);
  console.log(`${out === text ? 'kept   ' : 'CHANGED'} ${JSON.stringify(endpoint)}\n    in : ${text}\n    out: ${out}`);
}
