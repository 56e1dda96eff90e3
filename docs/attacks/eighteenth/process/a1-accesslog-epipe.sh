#!/bin/bash
# The gateway's stdout reader exits (`| head -1`, a log shipper that dies): what happens at the next access-log line?
set -u
R=/tmp/attack18a/repo
W=$(mktemp -d)
nice -n 19 node $R/packages/testkit/dist/cli.js --port 0 --name primary > $W/a.out 2>&1 & A=$!
nice -n 19 node $R/packages/testkit/dist/cli.js --port 0 --name backup > $W/b.out 2>&1 & B=$!
sleep 1
AU=$(head -1 $W/a.out); BU=$(head -1 $W/b.out)
cat > $W/detour.json <<J
{ "endpoints": [ { "name": "primary", "baseUrl": "$AU/v1", "apiKey": "sk-p", "priority": 0 },
                 { "name": "backup", "baseUrl": "$BU/v1", "apiKey": "sk-b", "priority": 1 } ],
  "gatewayKeys": [{ "env": "DETOUR_GATEWAY_KEY" }] }
J
PORT=18787
# head -1 reads the "listening" line and exits: the pipe has no reader from then on.
( sh -c 'echo $$ > '$W'/gw.pid; exec env DETOUR_GATEWAY_KEY=gk nice -n 19 node '$R'/apps/worker/dist/cli.js --config '$W'/detour.json --port '$PORT' --access-log 2>'$W'/gw.err'; echo "gateway exit status: $?" > $W/gw.rc ) | head -1 &
sleep 2
GW=$(cat $W/gw.pid)
for i in 1 2 3; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 3 http://127.0.0.1:$PORT/v1/chat/completions -H 'authorization: Bearer gk' -H 'content-type: application/json' -d '{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}')
  echo "request $i: HTTP $code"
  sleep 0.3
done
sleep 0.5
code=$(curl -s -o /dev/null -w '%{http_code}' -m 3 http://127.0.0.1:$PORT/healthz); echo "healthz: HTTP $code"
cat $W/gw.rc 2>/dev/null || echo "gateway still running"
echo "--- gateway stderr:"; head -15 $W/gw.err
kill $GW $A $B 2>/dev/null
wait 2>/dev/null
