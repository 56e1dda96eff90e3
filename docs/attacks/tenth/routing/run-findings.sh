#!/bin/sh
# Runs the finding scripts against the checkout in $REPO (default /work/main), each with the settings it was run with.
run() { echo "\$ $*"; env "$@" 2>&1 | tail -6; echo; }
run node t11_cut_streams_never_trip.mjs
run MODE=stall N=40 node t11_cut_streams_never_trip.mjs
run FR=0.6 EVERY=1000 node t11_cut_streams_never_trip.mjs
run node t13_cut_fast_latency.mjs
run node t15_gateway_cut_streams.mjs
run RESCUE=continue-or-replay node t15_gateway_cut_streams.mjs
run CONC=1 node t17_budget_drain.mjs
run ADM=0 node t9_dbg.mjs
