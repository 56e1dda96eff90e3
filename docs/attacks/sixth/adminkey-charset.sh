#!/bin/bash
# Admin keys the config accepts (inner spaces, non-ASCII): can the operator ever sign in with them?
cd /tmp/attack6a
for K in 'adm key with spaces' 'ädmin-ключ'; do
  printf '{"endpoints":[{"name":"e","baseUrl":"http://127.0.0.1:5101/v1"}],"gatewayKeys":["gk-team-a-secret"],"admin":{"key":"%s"}}' "$K" > cfgs/charset.json
  timeout 20 node /work/main/apps/worker/dist/cli.js --config cfgs/charset.json --port 5501 > /dev/null 2>&1 & P=$!
  sleep 1.2
  echo "key [$K]: bearer=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $K" http://127.0.0.1:5501/admin/state)" \
       "basic=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Basic $(printf 'op:%s' "$K" | base64 -w0)" http://127.0.0.1:5501/admin/state)" \
       "curl-u=$(curl -s -o /dev/null -w '%{http_code}' -u "op:$K" http://127.0.0.1:5501/admin/state)"
  kill $P; wait $P 2>/dev/null
done
