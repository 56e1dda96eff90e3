#!/bin/bash
# Does an empty or whitespace gateway key load (which would let keyless callers in)?
cd /tmp/attack17b/repo
cat > /tmp/attack17b/scripts/emptykey.json <<'J'
{ "endpoints": [{ "name": "p", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "sk-x" }], "gatewayKeys": [{ "env": "K" }] }
J
for v in "" " " "a b" "ключ"; do echo "K='$v':"; K="$v" timeout 10 nice -n 19 node apps/worker/dist/cli.js --check --config /tmp/attack17b/scripts/emptykey.json 2>&1 | head -3; done
