#!/bin/bash
# README.md "Running a fleet" + packages/redis README: two Node processes on one redis-server; then the gateway with store.redis
cd /tmp/a22user; RP=$((49000+RANDOM%500)); P1=$((49500+RANDOM%200)); P2=$((49700+RANDOM%200)); PG=$((50000+RANDOM%500))
timeout 60 redis-server --port $RP --save '' --appendonly no > /tmp/redis.log 2>&1 &
echo '[{ "fault": { "type": "rate-limit", "dialect": "openai", "retryAfterMs": 20000 } }]' > /tmp/r429.json
timeout 60 npx detour-chaos --port $P1 --name primary --script /tmp/r429.json >/dev/null 2>&1 &
timeout 60 npx detour-chaos --port $P2 --name backup >/dev/null 2>&1 &
sleep 2
export REDIS_URL=redis://127.0.0.1:$RP
timeout 20 node redis-proc.mjs first http://127.0.0.1:$P1/v1 http://127.0.0.1:$P2/v1 &
timeout 20 node redis-proc.mjs second http://127.0.0.1:$P1/v1 http://127.0.0.1:$P2/v1
wait %4 2>/dev/null
cat > /tmp/gwredis.json <<J
{ "endpoints": [ { "name": "primary", "baseUrl": "http://127.0.0.1:$P1/v1", "apiKey": "sk-primary-1234567" } ], "gatewayKeys": ["gk-r-1"],
  "store": { "redis": "redis://127.0.0.1:$RP" } }
J
echo '--- gateway --check with store.redis'; timeout 10 npx detour-gateway --check --config /tmp/gwredis.json | grep -i store
timeout 15 npx detour-gateway --config /tmp/gwredis.json --port $PG > /tmp/gwr.log 2>&1 &
sleep 3; echo '--- healthz store (worker README 451-454)'; curl -sS http://127.0.0.1:$PG/healthz | head -c 300; echo
kill %1 %2 %3 %5 2>/dev/null; wait 2>/dev/null; cat /tmp/gwr.log
