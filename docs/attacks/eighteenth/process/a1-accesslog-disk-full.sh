#!/bin/bash
# The access log redirected to a file (`--access-log >> /var/log/detour/access.log`, nohup-style) on a disk that
# fills up. Uses a 64 KiB tmpfs (mounted by the caller: mount -t tmpfs -o size=64k tmpfs /tmp/attack18a/full);
# also /dev/full (every write ENOSPC).
set -u
R=/tmp/attack18a/repo; W=$(mktemp -d); FULL=/tmp/attack18a/full
nice -n 19 node $R/packages/testkit/dist/cli.js --port 0 --name primary > $W/a.out 2>&1 & A=$!
sleep 1; AU=$(head -1 $W/a.out)
echo "{ \"endpoints\": [ { \"name\": \"primary\", \"baseUrl\": \"$AU/v1\", \"apiKey\": \"sk-p\" } ], \"gatewayKeys\": [{ \"env\": \"DETOUR_GATEWAY_KEY\" }] }" > $W/detour.json
req() { curl -s -o /dev/null -w '%{http_code}' -m 3 http://127.0.0.1:18790/v1/chat/completions -H 'authorization: Bearer gk' -H 'content-type: application/json' -d '{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}'; }
for target in "$FULL/access.log" /dev/full; do
  rm -f $FULL/*
  [ "$target" != /dev/full ] && head -c 60000 /dev/zero > $FULL/filler   # the disk is nearly full already
  echo "== stdout >> $target"
  DETOUR_GATEWAY_KEY=gk nice -n 19 node $R/apps/worker/dist/cli.js --config $W/detour.json --port 18790 --access-log >> $target 2> $W/gw.err & G=$!
  sleep 1.5
  codes=""; for i in $(seq 1 40); do codes="$codes $(req)"; done
  echo "  40 requests: $(echo $codes | tr ' ' '\n' | sort | uniq -c | tr '\n' ' ')"
  sleep 0.3
  if kill -0 $G 2>/dev/null; then echo "  gateway alive"; kill -TERM $G; wait $G; echo "  exit after SIGTERM: $?"; else wait $G; echo "  gateway DIED, exit status $?"; fi
  echo "  stderr: $(head -c 300 $W/gw.err | tr '\n' '|')"
done
kill $A; rm -f $FULL/*; wait 2>/dev/null
