#!/bin/bash
# No access log; stdout's reader has gone (`| head -1`). SIGTERM with a stream in flight: the drain line is written
# to the broken pipe with console.log. Does the drain still happen?
set -u
R=/tmp/attack18a/repo; W=$(mktemp -d)
printf '[{"fault":{"type":"slow-body","chunkDelayMs":300}}]' > $W/slow.json
nice -n 19 node $R/packages/testkit/dist/cli.js --port 0 --name primary --script $W/slow.json > $W/a.out 2>&1 & A=$!
sleep 1; AU=$(head -1 $W/a.out)
echo "{ \"endpoints\": [ { \"name\": \"primary\", \"baseUrl\": \"$AU/v1\", \"apiKey\": \"sk-p\" } ], \"gatewayKeys\": [{ \"env\": \"DETOUR_GATEWAY_KEY\" }] }" > $W/detour.json
( sh -c 'echo $$ > '$W'/gw.pid; exec env DETOUR_GATEWAY_KEY=gk nice -n 19 node '$R'/apps/worker/dist/cli.js --config '$W'/detour.json --port 18791 2>'$W'/gw.err'; echo "$?" > $W/gw.rc ) | head -1 &
sleep 2; GW=$(cat $W/gw.pid)
curl -sN -m 10 http://127.0.0.1:18791/v1/chat/completions -H 'authorization: Bearer gk' -H 'content-type: application/json' \
  -d '{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' > $W/stream.out 2>&1 & C=$!
sleep 0.5; kill -TERM $GW; wait $C
sleep 0.5
echo "stream: $(grep -q '\[DONE\]' $W/stream.out && echo 'finished with [DONE]' || echo 'CUT')"
echo "gateway exit status: $(cat $W/gw.rc 2>/dev/null || echo 'still running')"; echo "stderr: $(head -c 300 $W/gw.err | tr '\n' '|')"
kill $GW $A 2>/dev/null; wait 2>/dev/null
