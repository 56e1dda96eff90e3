#!/bin/bash
# packages/edge/README.md 6-26 in a module Worker under `wrangler dev` (local workerd), vars OPENAI_KEY and GROQ_KEY set
cd /tmp/a22user/edgeworker; export WRANGLER_SEND_METRICS=false
P1=$((54000+RANDOM%400)); PW=$((54500+RANDOM%400)); IP=$((55000+RANDOM%400))
sed "s#__UP__#http://127.0.0.1:$P1#g" worker.ts > worker.gen.ts
timeout 60 npx detour-chaos --port $P1 --name up >/dev/null 2>&1 &
W=/tmp/attack22/apps/worker/node_modules/.bin/wrangler
timeout 45 nice -n 19 $W dev --port $PW --inspector-port $IP --ip 127.0.0.1 --var OPENAI_KEY:sk-openai-123456789 --var GROQ_KEY:gsk-123456789012 > /tmp/edgew.log 2>&1 &
for i in $(seq 30); do grep -q "Ready on\|ERROR" /tmp/edgew.log && break; sleep 1; done; sleep 1
curl -sS -m 10 -i http://127.0.0.1:$PW/ | head -12; echo
sleep 1; grep -v "^\s*at \|GetAddrInfo\|^$" /tmp/edgew.log | tail -8
kill %1 %2 2>/dev/null; wait 2>/dev/null
