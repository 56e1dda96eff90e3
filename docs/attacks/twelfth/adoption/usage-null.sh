#!/bin/bash
# A streamed chat completion, caller did not ask for usage: count "usage":null fields direct, via gateway (inject default), via gateway (passthrough)
A=/tmp/atk12c/atk; cd /tmp/atk12c-proj
node node_modules/.bin/detour-chaos --port 4401 --name up > $A/u-chaos.log 2>&1 & C=$!
echo '{ "endpoints": [ { "name": "up", "baseUrl": "http://127.0.0.1:4401/v1" } ], "gatewayKeys": ["gk-u"] }' > $A/u1.json
echo '{ "endpoints": [ { "name": "up", "baseUrl": "http://127.0.0.1:4401/v1" } ], "gatewayKeys": ["gk-u"], "router": { "streamUsage": "passthrough" } }' > $A/u2.json
node node_modules/.bin/detour-gateway --config $A/u1.json --port 8821 > /dev/null 2>&1 & G1=$!
node node_modules/.bin/detour-gateway --config $A/u2.json --port 8822 > /dev/null 2>&1 & G2=$!
sleep 1.5
D='{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}'
echo "direct:      usage:null fields=$(curl -sS -N http://127.0.0.1:4401/v1/chat/completions -H 'content-type: application/json' -d "$D" | grep -o '"usage":null' | wc -l)"
echo "inject:      usage:null fields=$(curl -sS -N http://127.0.0.1:8821/v1/chat/completions -H 'authorization: Bearer gk-u' -H 'content-type: application/json' -d "$D" | grep -o '"usage":null' | wc -l)"
echo "passthrough: usage:null fields=$(curl -sS -N http://127.0.0.1:8822/v1/chat/completions -H 'authorization: Bearer gk-u' -H 'content-type: application/json' -d "$D" | grep -o '"usage":null' | wc -l)"
kill -TERM $G1 $G2; kill $C; wait $G1 $G2 $C 2>/dev/null
