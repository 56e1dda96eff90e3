#!/bin/bash
# Startup under an operator's mistakes and constraints. Each case is bounded by `timeout 10`.
set -u
R=/tmp/attack18a/repo; CLI=$R/apps/worker/dist/cli.js; W=$(mktemp -d); chmod 755 $W
cat > $W/ok.json <<J
{ "endpoints": [ { "name": "primary", "baseUrl": "http://127.0.0.1:1/v1", "apiKey": "sk-p" } ], "gatewayKeys": [{ "env": "DETOUR_GATEWAY_KEY" }] }
J
chmod 644 $W/ok.json
export DETOUR_GATEWAY_KEY=gk
try() { # label, command...
  label=$1; shift
  start=$(date +%s.%N)
  out=$(timeout 10 nice -n 19 "$@" 2>&1 < /dev/null); rc=$?
  t=$(echo "$(date +%s.%N) - $start" | bc)
  printf '== %s\n   exit %s after %.1f s: %s\n' "$label" "$rc" "$t" "$(echo "$out" | head -c 400 | tr '\n' '|')"
}
# a gateway that starts is stopped by timeout (exit 124): printed "listening" means it started
mkdir $W/dir.json
try "config is a directory" node $CLI --config $W/dir.json --port 0
ln -s $W/loop1 $W/loop2; ln -s $W/loop2 $W/loop1
try "config is a symlink loop" node $CLI --config $W/loop1 --port 0
try "config missing" node $CLI --config $W/nope.json --port 0
mkfifo $W/fifo.json
try "config is a FIFO nobody writes (--check)" node $CLI --check --config $W/fifo.json
try "config is /dev/zero (--check)" node --max-old-space-size=256 $CLI --check --config /dev/zero
try "config is /dev/urandom (--check)" node --max-old-space-size=256 $CLI --check --config /dev/urandom
head -c 600000000 /dev/zero | tr '\0' ' ' > $W/huge.json; echo '{}' >> $W/huge.json
try "config is 600 MB of spaces then {} (--check)" node $CLI --check --config $W/huge.json
rm -f $W/huge.json
printf '{"endpoints":[{"name":"p","baseUrl":"http://127.0.0.1:1/v1","apiKey":{"env":"NOPE_MISSING"}}]}' > $W/missing-env.json
try "env reference missing (--check)" node $CLI --check --config $W/missing-env.json
cp $W/ok.json $W/unreadable.json; chmod 600 $W/unreadable.json
try "config unreadable by the service user (nobody)" setpriv --reuid=nobody --regid=nogroup --clear-groups node $CLI --config $W/unreadable.json --port 0
try "privileged port as nobody" setpriv --reuid=nobody --regid=nogroup --clear-groups node $CLI --config $W/ok.json --port 80
node -e "require('net').createServer().listen(18799,'127.0.0.1');setTimeout(()=>process.exit(0),15000)" & NC=$!; sleep 0.5
try "port in use" node $CLI --config $W/ok.json --port 18799
kill $NC 2>/dev/null
try "--host 203.0.113.7 (not on this machine)" node $CLI --config $W/ok.json --port 0 --host 203.0.113.7
try "--host no-such-host.invalid" node $CLI --config $W/ok.json --port 0 --host no-such-host.invalid
try "--host 999.1.1.1" node $CLI --config $W/ok.json --port 0 --host 999.1.1.1
try "--host localhost" node $CLI --config $W/ok.json --port 0 --host localhost
# inside a private network namespace (loopback only), so binding every interface exposes nothing
try "--host '' (empty), in a private netns" unshare -n sh -c "ip link set lo up; exec node $CLI --config $W/ok.json --port 0 --host ''"
try "--host ::1" node $CLI --config $W/ok.json --port 0 --host ::1
try "--port 8787.0" node $CLI --config $W/ok.json --port 8787.0
try "--port ' 0x50 '" node $CLI --config $W/ok.json --port ' 0x50 '
try "--port ''" node $CLI --config $W/ok.json --port ''
mkdir -p $W/ro && chmod 555 $W/ro
try "cwd read-only, HOME unset, no TTY, as nobody" env -u HOME -C $W/ro setpriv --reuid=nobody --regid=nogroup --clear-groups node $CLI --config $W/ok.json --port 0
try "relative --config from another cwd" env -C / node $CLI --config ok.json --port 0
try "config path with a trailing newline" node $CLI --config "$W/ok.json
" --port 0
echo "done"
