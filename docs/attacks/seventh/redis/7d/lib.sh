# helpers: rport; start_redis PORT; start_gw CONFIG PORT LOG
rport() { echo $(( 20000 + RANDOM % 20000 )); }
start_redis() { /usr/bin/redis-server --port $1 --bind 127.0.0.1 --save '' --appendonly no --daemonize no > /tmp/attack7d/redis-$1.log 2>&1 & echo $! > /tmp/attack7d/redis-$1.pid; sleep 0.3; }
stop_redis() { kill $(cat /tmp/attack7d/redis-$1.pid) 2>/dev/null; }
start_gw() { DETOUR_GATEWAY_KEY=gk timeout ${4:-120} node /work/main/apps/worker/bin/detour-gateway.js --config $1 --port $2 > $3 2>&1 & echo $! > $3.pid; }
