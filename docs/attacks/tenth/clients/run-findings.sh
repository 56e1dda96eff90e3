#!/bin/sh
# Runs the finding scripts against the checkout in $REPO, each with the settings it was run with, and keeps the lines
# that tell the finding.
run() { echo "\$ $*"; env "$@" 2>&1 | grep -E -v "$SKIP" | grep -E "$KEEP" | tail -${TAIL:-12} | cut -c1-300; echo; }
SKIP='upstream req closed' KEEP='.' TAIL=20 run N=20 IDLE=2000 OBS=14 node r1-paused-reader-gateway.mjs
SKIP='^ +[0-9]+: 0x' KEEP='.' TAIL=5 run MAXRESP=4194304 node r2-delivered-text-retention.mjs
SKIP='^$' KEEP='"attempts"' run node r7-gateway-disconnect.mjs
SKIP='^$' KEEP='content-encoding: gzip request|x-detour-error|upstream got' TAIL=3 run node r9-client-headers.mjs
