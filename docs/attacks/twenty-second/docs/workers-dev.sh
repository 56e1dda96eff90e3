#!/bin/bash
# apps/worker/README.md "Deploy to Workers" (374-404), docs/dashboard.md 30/33 on Workers: wrangler dev (local workerd) with DETOUR_CONFIG
cd /tmp/attack22/apps/worker; export WRANGLER_SEND_METRICS=false
P1=$((52500+RANDOM%400)); PW=$((53000+RANDOM%400)); IP=$((53500+RANDOM%400))
timeout 90 npx detour-chaos --port $P1 --name up >/dev/null 2>&1 &
echo '=== run 1: wrong config (weight 0)'
BAD="{\"endpoints\":[{\"name\":\"up\",\"baseUrl\":\"http://127.0.0.1:$P1/v1\",\"weight\":0}],\"gatewayKeys\":[\"gk-w-1\"]}"
timeout 40 nice -n 19 npx wrangler dev --port $PW --inspector-port $IP --ip 127.0.0.1 --var "DETOUR_CONFIG:$BAD" > /tmp/wdev1.log 2>&1 &
W=$!; for i in $(seq 30); do grep -q "Ready on" /tmp/wdev1.log && break; sleep 1; done
curl -sS -m 10 -i http://127.0.0.1:$PW/v1/chat/completions -H 'authorization: Bearer gk-w-1' -H 'content-type: application/json' -d '{"model":"gpt-4.1","messages":[]}' | grep -v "^Date\|^date"; echo
sleep 1; echo '--- worker log'; grep -v "^\s*at \|GetAddrInfo" /tmp/wdev1.log | tail -6
kill $W 2>/dev/null; sleep 2; pkill -P $W 2>/dev/null
PW=$((PW+1)); IP=$((IP+1))
echo '=== run 2: good config, DETOUR_ADMIN_KEY as a Worker variable, 11 MiB body'
GOOD="{\"endpoints\":[{\"name\":\"up\",\"baseUrl\":\"http://127.0.0.1:$P1/v1\",\"apiKey\":\"sk-up-1234567890ab\"}],\"gatewayKeys\":[\"gk-w-1\"]}"
timeout 40 nice -n 19 npx wrangler dev --port $PW --inspector-port $IP --ip 127.0.0.1 --var "DETOUR_CONFIG:$GOOD" --var "DETOUR_ADMIN_KEY:adm-w-12345" > /tmp/wdev2.log 2>&1 &
W=$!; for i in $(seq 30); do grep -q "Ready on" /tmp/wdev2.log && break; sleep 1; done
node -e "const b=JSON.stringify({model:'gpt-4.1',messages:[{role:'user',content:'x'.repeat(11*1024*1024)}]}); fetch('http://127.0.0.1:$PW/v1/chat/completions',{method:'POST',headers:{authorization:'Bearer gk-w-1','content-type':'application/json'},body:b}).then(async r=>console.log('11 MiB body:',r.status,r.headers.get('x-detour-error'))).catch(e=>console.log('11 MiB body error',e.message))"
node -e "const b=JSON.stringify({model:'gpt-4.1',messages:[{role:'user',content:'x'.repeat(9*1024*1024)}]}); fetch('http://127.0.0.1:$PW/v1/chat/completions',{method:'POST',headers:{authorization:'Bearer gk-w-1','content-type':'application/json'},body:b}).then(async r=>console.log('9 MiB body:',r.status,r.headers.get('x-detour-error'))).catch(e=>console.log('9 MiB error',e.message))"
echo -n 'admin/state with Worker var DETOUR_ADMIN_KEY: '; curl -sS -m 5 -o /dev/null -w '%{http_code}\n' http://127.0.0.1:$PW/admin/state -H 'authorization: Bearer adm-w-12345'
echo -n 'admin/state scope: '; curl -sS -m 5 http://127.0.0.1:$PW/admin/state -H 'authorization: Bearer adm-w-12345' | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).scope))"
echo '/metrics (first TYPE lines):'; curl -sS -m 5 http://127.0.0.1:$PW/metrics | grep '^# TYPE' | awk '{print $3}' | tr '\n' ' '; echo
kill $W 2>/dev/null; sleep 2; pkill -P $W 2>/dev/null; kill %1 2>/dev/null; wait 2>/dev/null
