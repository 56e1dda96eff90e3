#!/bin/bash
# T1: a far-future deadline in Redis (what a gateway with a skewed clock writes) locks the fleet out; clearing Redis does not help
cd /tmp/attack7d; . ./lib.sh
RP=$(rport); U1=$(rport); U2=$(rport); G1=$(rport); G2=$(rport)
start_redis $RP
node upstream.mjs $U1 p 60 > up1.log & node upstream.mjs $U2 b 60 > up2.log &
sed "s/UP1/$U1/;s/UP2/$U2/;s/RP/$RP/" gw.json.tpl > t1.json
start_gw t1.json $G1 g1.log 60; start_gw t1.json $G2 g2.log 60; sleep 1.5
req() { curl -s -m 5 -o /dev/null -w "%{http_code} " -H 'authorization: Bearer gk' -H 'content-type: application/json' http://127.0.0.1:$1/v1/chat/completions -d '{"model":"m1","messages":[{"role":"user","content":"hi"}]}'; }
echo "before: $(req $G1) $(req $G2)"
FAR=$(( ($(date +%s) + 30*86400) * 1000 ))
for e in primary backup; do
  redis-cli -p $RP hset "{detour}:endpoint:$e" cooldownUntil $FAR reason skewed >/dev/null
  redis-cli -p $RP sadd "{detour}:endpoints" $e >/dev/null
done
sleep 1.5
echo "after poison (both endpoints +30d): $(req $G1) $(req $G2)"
curl -s -m 3 http://127.0.0.1:$G1/healthz | head -c 600; echo
redis-cli -p $RP flushall >/dev/null; sleep 2.5
echo "after operator FLUSHALL: $(req $G1) $(req $G2)"
echo "redis keys after flush+2.5s:"; redis-cli -p $RP --scan | head; redis-cli -p $RP hgetall '{detour}:endpoint:primary'
stop_redis $RP; sleep 0.5; start_redis $RP; sleep 3
echo "after redis restart empty: $(req $G1) $(req $G2)"; redis-cli -p $RP hget '{detour}:endpoint:primary' cooldownUntil
kill $(cat g1.log.pid) $(cat g2.log.pid); stop_redis $RP; wait 2>/dev/null
tail -3 g1.log
