#!/bin/bash
# small repros: --check vs start (durableObject on Node), costs --help, price date, redis url, gateway store.prefix
G=/tmp/atk12c-proj/node_modules/.bin/detour-gateway; cd /tmp/atk12c/atk/cfg
echo '{"endpoints":[{"name":"a","baseUrl":"http://127.0.0.1:1/v1"}],"gatewayKeys":["gk-x"],"store":{"durableObject":"X"}}' > do.json
$G --check --config do.json | head -1; echo "check rc=${PIPESTATUS[0]}"
timeout 5 $G --config do.json --port 0; echo "start rc=$?"
$G costs --help; echo "costs --help rc=$?"
echo '{"endpoints":[{"name":"a","baseUrl":"http://127.0.0.1:1/v1"}],"gatewayKeys":["gk-x"],"store":{"redis":"redis://127.0.0.1:6391","prefix":"teamb:"}}' > pfx.json
$G --check --config pfx.json; echo "prefix rc=$?"
cd /tmp/atk12c-proj && node prices2.mjs && node pricebook.mjs
