#!/bin/sh
# Runs every scenario with 4 members on Redis, 4 members each on its own memory store, and 1 member at the same
# total load (40 req/s), 40 s each; then the Redis pause and restart runs. Outputs in out/, summaries in matrix.log.
cd "$(dirname "$0")"
for scenario in retryafter breaker disable limiter budget; do
  for setup in "redis 4" "memory 4" "memory 1"; do
    set -- $setup
    timeout 200 nice -n 19 node fleet.mjs --scenario $scenario --store $1 --members $2 --rate 40 --seconds 40 --label $scenario-$1-$2 > /dev/null 2>out/$scenario-$1-$2.err
    node analyze.mjs $scenario-$1-$2 700 --seconds
  done
done
