#!/bin/sh
# Second batch: the shared limiter, Redis paused (SIGSTOP) and restarted mid-storm, one member's clock 40 min fast
# or 30 s slow, and 6 members. Outputs in out/, summaries in chaos.log.
cd "$(dirname "$0")"
run() { label=$1; shift; timeout 200 nice -n 19 node fleet.mjs --label $label "$@" > /dev/null 2>out/$label.err; node analyze.mjs $label 700 --seconds; }
run limiter-redis-4 --scenario limiter --store redis --members 4 --rate 40 --seconds 40
run limiter-memory-4 --scenario limiter --store memory --members 4 --rate 40 --seconds 40
run limiter-memory-1 --scenario limiter --store memory --members 1 --rate 40 --seconds 40
run breaker-redis-4-pause --scenario breaker --store redis --members 4 --rate 40 --seconds 40 --redis pause:9:4
run breaker-redis-4-restart --scenario breaker --store redis --members 4 --rate 40 --seconds 40 --redis restart:9:4
run retryafter-redis-4-pause --scenario retryafter --store redis --members 4 --rate 40 --seconds 40 --redis pause:10:5
run disable-redis-4-restart --scenario disable --store redis --members 4 --rate 40 --seconds 40 --redis restart:10:3
run retryafter-redis-4-fast --scenario retryafter --store redis --members 4 --rate 40 --seconds 40 --skew0 2400000
run breaker-redis-4-slow --scenario breaker --store redis --members 4 --rate 40 --seconds 40 --skew0 -30000
run disable-redis-6 --scenario disable --store redis --members 6 --rate 48 --seconds 40
run breaker-redis-6 --scenario breaker --store redis --members 6 --rate 48 --seconds 40
run disable-redis-6-low --scenario disable --store redis --members 6 --rate 3 --seconds 45
