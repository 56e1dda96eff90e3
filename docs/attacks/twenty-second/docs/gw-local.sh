#!/bin/bash
# apps/worker/README.md "Run locally" (lines 33-64) from the clone, detour.local.json with ports rewritten to random high ones
set -u; cd /tmp/attack22
P1=$((43000+RANDOM%1000)); P2=$((44000+RANDOM%1000)); PG=$((45000+RANDOM%1000))
sed "s/4001/$P1/g; s/4002/$P2/g" apps/worker/detour.local.json > /tmp/gwlocal.json
timeout 60 pnpm --filter @detour/gateway exec detour-chaos --port $P1 --name primary > /tmp/gwl-p1.log 2>&1 &
timeout 60 pnpm --filter @detour/gateway exec detour-chaos --port $P2 --name backup > /tmp/gwl-p2.log 2>&1 &
sleep 4
DETOUR_GATEWAY_KEY=gk-local timeout 50 node apps/worker/dist/cli.js --config /tmp/gwlocal.json --port $PG --access-log > /tmp/gwl-gw.log 2>&1 &
sleep 2
echo '--- chat'; curl -sS -i http://127.0.0.1:$PG/v1/chat/completions -H 'authorization: Bearer gk-local' \
  -H 'content-type: application/json' -d '{"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": "Hi"}]}' | grep -i '^x-detour\|^HTTP'
echo '--- messages'; curl -sS -i http://127.0.0.1:$PG/v1/messages -H 'x-api-key: gk-local' -H 'anthropic-version: 2023-06-01' \
  -H 'content-type: application/json' -d '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}' | grep -i '^x-detour\|^HTTP\|type'
echo '--- responses'; curl -sS -i http://127.0.0.1:$PG/v1/responses -H 'authorization: Bearer gk-local' -H 'content-type: application/json' -d '{"model":"gpt-4.1-mini","input":"Hi"}' | grep -i '^x-detour\|^HTTP'
echo '--- gateway stdout'; cat /tmp/gwl-gw.log
kill %1 %2 %3; wait 2>/dev/null
