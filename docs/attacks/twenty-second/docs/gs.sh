#!/bin/bash
# getting-started.md steps 2-4 as written, in /tmp/a22user (tarballs installed), random ports
set -u
cd /tmp/a22user
P1=$((40000+RANDOM%1000)); P2=$((41000+RANDOM%1000)); PG=$((42000+RANDOM%1000))
echo '[{ "fault": { "type": "rate-limit", "dialect": "openai", "retryAfterMs": 20000 } }]' > throttled.json
timeout 120 npx detour-chaos --port $P1 --name primary --script throttled.json > /tmp/gs-p1.log 2>&1 &
timeout 120 npx detour-chaos --port $P2 --name backup > /tmp/gs-p2.log 2>&1 &
sleep 3; cat /tmp/gs-p1.log /tmp/gs-p2.log
cat > quickstart.js <<JS
import OpenAI from 'openai';
import { createFetch } from '@detour/node';

const fetch = createFetch({
  endpoints: [
    { name: 'primary', baseUrl: 'http://127.0.0.1:$P1/v1', apiKey: 'sk-primary', priority: 0 },
    { name: 'backup', baseUrl: 'http://127.0.0.1:$P2/v1', apiKey: 'sk-backup', priority: 1 },
  ],
});
const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });

for (const round of [1, 2]) {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Say hello' }] })
    .withResponse();
  console.log(\`request \${round}: "\${data.choices[0].message.content}"\`);
  console.log(\`  x-detour-endpoint: \${response.headers.get('x-detour-endpoint')}\`);
  console.log(\`  x-detour-attempts: \${response.headers.get('x-detour-attempts')}\`);
  console.log(\`  x-detour-cost-usd: \${response.headers.get('x-detour-cost-usd')}\`);
}
JS
echo '--- node quickstart.js'; timeout 30 node quickstart.js
cat > detour.json <<J
{
  "endpoints": [
    { "name": "primary", "baseUrl": "http://127.0.0.1:$P1/v1", "apiKey": "sk-primary", "priority": 0 },
    { "name": "backup", "baseUrl": "http://127.0.0.1:$P2/v1", "apiKey": "sk-backup", "priority": 1 }
  ],
  "gatewayKeys": [{ "env": "DETOUR_GATEWAY_KEY" }]
}
J
echo '--- --check'; DETOUR_GATEWAY_KEY=gk-local timeout 30 npx @detour/gateway --check --config detour.json; echo rc=$?
DETOUR_GATEWAY_KEY=gk-local timeout 60 npx @detour/gateway --config detour.json --port $PG > /tmp/gs-gw.log 2>&1 &
sleep 3; cat /tmp/gs-gw.log
echo '--- curl'; curl -sS -i http://127.0.0.1:$PG/v1/chat/completions \
  -H 'authorization: Bearer gk-local' -H 'content-type: application/json' \
  -d '{"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": "Say hello"}]}'
echo; cat > app.js <<'JS'
import OpenAI from 'openai';

const client = new OpenAI(); // reads OPENAI_BASE_URL and OPENAI_API_KEY
const completion = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
console.log(completion.choices[0].message.content);
JS
echo '--- app.js'; OPENAI_BASE_URL=http://127.0.0.1:$PG/v1 OPENAI_API_KEY=gk-local timeout 20 node app.js
echo '--- healthz'; curl -sS http://127.0.0.1:$PG/healthz; echo
kill %1 %2 %3 2>/dev/null; wait
