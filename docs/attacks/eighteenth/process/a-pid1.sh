#!/bin/bash
# The gateway as PID 1 of its own PID namespace (a container without --init): SIGTERM with a stream in flight,
# a second SIGTERM, SIGHUP.
set -u
R=/tmp/attack18a/repo; W=$(mktemp -d)
printf '[{"fault":{"type":"slow-body","chunkDelayMs":400}}]' > $W/slow.json
nice -n 19 node $R/packages/testkit/dist/cli.js --port 0 --name primary --script $W/slow.json > $W/a.out 2>&1 & A=$!
sleep 1; AU=$(head -1 $W/a.out)
echo "{ \"endpoints\": [ { \"name\": \"primary\", \"baseUrl\": \"$AU/v1\", \"apiKey\": \"sk-p\" } ], \"gatewayKeys\": [{ \"env\": \"DETOUR_GATEWAY_KEY\" }], \"shutdownGraceMs\": 10000 }" > $W/detour.json
run() { # $1 label, rest: signals with delays "SIG:delay"
  label=$1; shift
  DETOUR_GATEWAY_KEY=gk unshare -fp --mount-proc nice -n 19 node $R/apps/worker/dist/cli.js --config $W/detour.json --port 18788 > $W/gw.out 2>&1 & U=$!
  sleep 1.5
  GW=$(pgrep -P $U)
  echo "== $label: host pid $GW, pid inside its namespace: $(grep NSpid /proc/$GW/status | awk '{print $3}')"
  curl -sN -m 10 http://127.0.0.1:18788/v1/chat/completions -H 'authorization: Bearer gk' -H 'content-type: application/json' \
    -d '{"model":"gpt-4.1-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' > $W/stream.out 2>&1 & C=$!
  sleep 0.5
  for s in "$@"; do sig=${s%%:*}; d=${s##*:}; sleep $d; kill -$sig $GW 2>/dev/null && echo "  sent $sig"; done
  wait $C; echo "  stream: $(grep -c '^data:' $W/stream.out) data lines, $(grep -q '\[DONE\]' $W/stream.out && echo 'ends with [DONE]' || echo 'CUT (no [DONE])')"
  sleep 0.5
  if kill -0 $GW 2>/dev/null; then echo "  gateway still running after the stream ended; stopping it"; kill -TERM $GW; sleep 0.5; fi
  wait $U; echo "  unshare exit status: $? ; gateway output: $(tr '\n' '|' < $W/gw.out)"
}
run "SIGTERM once" TERM:0
run "SIGTERM, SIGTERM again 0.3 s later" TERM:0 TERM:0.3
run "SIGHUP" HUP:0
kill $A; wait 2>/dev/null
