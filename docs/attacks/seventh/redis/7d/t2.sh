#!/bin/bash
# T2: gateway -> proxy -> redis. Phases: ok, blackhole 4s, ok, delay 4s, ok, CLIENT PAUSE, kill redis, restart, OOM
cd /tmp/attack7d; . ./lib.sh
RP=$(rport); PP=$(rport); U1=$(rport); U2=$(rport); G1=$(rport)
start_redis $RP
node proxy.mjs $PP $RP 70 > proxy.log & PXY=$!
node upstream.mjs $U1 p 70 > up1.log & node upstream.mjs $U2 b 70 > up2.log &
sed "s/UP1/$U1/;s/UP2/$U2/;s/RP/$PP/" gw.json.tpl > t2.json
start_gw t2.json $G1 t2g.log 70; sleep 1.5
node load.mjs $G1 50 8 m1 > t2load.log & L=$!
sleep 4; echo "$(date +%T) blackhole"; kill -USR1 $PXY; sleep 4; kill -USR1 $PXY; echo "$(date +%T) pass"
sleep 4; echo "$(date +%T) delay"; kill -USR2 $PXY; sleep 4; kill -USR2 $PXY; echo "$(date +%T) pass"
sleep 3; echo "$(date +%T) client pause"; redis-cli -p $RP client pause 4000 >/dev/null; sleep 6
echo "$(date +%T) kill redis"; stop_redis $RP; sleep 5; echo "$(date +%T) restart"; start_redis $RP; sleep 5
echo "$(date +%T) OOM"; redis-cli -p $RP config set maxmemory-policy noeviction >/dev/null; redis-cli -p $RP config set maxmemory 1 >/dev/null; sleep 6
redis-cli -p $RP config set maxmemory 0 >/dev/null; echo "$(date +%T) OOM over"
wait $L; kill $(cat t2g.log.pid) $PXY; stop_redis $RP
