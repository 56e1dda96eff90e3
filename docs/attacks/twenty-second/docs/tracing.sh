#!/bin/bash
# docs/tracing.md: the createFetch OTLP example (lines 78-110) against a local OTLP sink, then the gateway with DETOUR_TRACING=otlp
cd /tmp/a22user
PS=$((46000+RANDOM%1000)); P1=$((47000+RANDOM%500)); P2=$((47500+RANDOM%500)); PG=$((48000+RANDOM%1000))
echo '[{ "fault": { "type": "rate-limit", "dialect": "openai", "retryAfterMs": 20000 } }]' > /tmp/t429.json
timeout 40 npx detour-chaos --port $P1 --name openai --script /tmp/t429.json >/dev/null 2>&1 &
timeout 40 npx detour-chaos --port $P2 --name groq >/dev/null 2>&1 &
timeout 40 node otlp-sink.mjs $PS 38000 > /tmp/sink.log 2>&1 &
sleep 3
echo '--- createFetch example'; UP1=http://127.0.0.1:$P1/v1 UP2=http://127.0.0.1:$P2/v1 OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$PS timeout 20 node tracing-example.mjs; echo rc=$?
sleep 1; cat /tmp/sink.log; : > /tmp/sink.log
cat > /tmp/gwtrace.json <<J
{ "endpoints": [ { "name": "openai", "baseUrl": "http://127.0.0.1:$P1/v1", "apiKey": "sk-openai-12345678" },
  { "name": "groq", "baseUrl": "http://127.0.0.1:$P2/v1", "apiKey": "gsk-groq-12345678", "provider": "groq", "priority": 1, "models": { "gpt-4.1-mini": "llama-3.3-70b-versatile" } } ],
  "gatewayKeys": ["gk-trace-1"] }
J
echo '--- gateway DETOUR_TRACING=otlp'; DETOUR_TRACING=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$PS OTEL_SERVICE_NAME=detour timeout 25 npx detour-gateway --config /tmp/gwtrace.json --port $PG > /tmp/gwt.log 2>&1 &
GW=$!; sleep 3
curl -sS -o /dev/null -w 'status %{http_code}\n' http://127.0.0.1:$PG/v1/chat/completions -H 'authorization: Bearer gk-trace-1' -H 'content-type: application/json' \
  -H 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' -d '{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"Hi"}]}'
kill -TERM $(pgrep -P $GW -f cli.js 2>/dev/null; pgrep -f "detour-gateway --config /tmp/gwtrace.json" | head -1) 2>/dev/null
sleep 4; echo '--- gateway log'; cat /tmp/gwt.log; echo '--- sink'; cat /tmp/sink.log
kill %1 %2 %3 2>/dev/null; wait 2>/dev/null
