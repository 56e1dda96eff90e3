#!/bin/bash
# Runs `detour-gateway --check` on configs built from the gateway README's config reference; prints rc + output
cd /tmp/attack22; CLI="node apps/worker/dist/cli.js"; D=$(mktemp -d)
E='{ "name": "primary", "baseUrl": "https://api.example.com/v1", "apiKey": "sk-abcdefghijkl", "priority": 0 }'
t() { echo "=== $1"; echo "$2" > $D/c.json; shift 2; env "$@" timeout 20 $CLI --check --config $D/c.json 2>&1 | head -${LINES_:-14}; echo "rc=${PIPESTATUS[0]}"; }
t 'README contract example' '{ "endpoints": [ { "name": "primary", "baseUrl": "https://api.example.com/v1", "apiKey": "sk-…", "priority": 0, "weight": 1, "models": ["gpt-4.1"] } ], "gatewayKeys": ["gk-…"] }'
t 'weight 0 (README: endpoints[1].weight: expected a number > 0)' "{ \"endpoints\": [ $E, { \"name\": \"b\", \"baseUrl\": \"https://b.example.com/v1\", \"weight\": 0 } ], \"gatewayKeys\": [\"gk\"] }"
t 'weight 1000001 (README: at most 1,000,000)' "{ \"endpoints\": [ { \"name\": \"b\", \"baseUrl\": \"https://b.example.com/v1\", \"weight\": 1000001 } ], \"gatewayKeys\": [\"gk\"] }"
t 'unknown top-level key (typo gatewaykeys)' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"acessLog\": true }"
t 'unknown endpoint key (typo priorty)' "{ \"endpoints\": [ { \"name\": \"b\", \"baseUrl\": \"https://b.example.com/v1\", \"priorty\": 1 } ], \"gatewayKeys\": [\"gk\"] }"
t 'unknown router key' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"router\": { \"maxAtempts\": 3 } }"
t 'no gateway keys' "{ \"endpoints\": [ $E ] }"
t 'admin key == gateway key' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk-same-key\"], \"admin\": { \"key\": \"gk-same-key\" } }"
t 'DETOUR_ADMIN_KEY from env' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk-a\"] }" DETOUR_ADMIN_KEY=adm-12345678
t 'durableObject store on Node' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"store\": { \"durableObject\": \"DETOUR_STATE\" } }"
t 'redis store prefix' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"store\": { \"redis\": \"redis://127.0.0.1:1\" } }"
t 'requestTimeoutMs < headersTimeoutMs' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"requestTimeoutMs\": 5000 }"
t 'maxBodyBytesInFlight < maxBodyBytes' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"maxBodyBytesInFlight\": 1000 }"
t 'HTTPS_PROXY not a URL' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"] }" HTTPS_PROXY=ftp://x
t 'HTTPS_PROXY without scheme' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"] }" HTTPS_PROXY=proxy.local:3128
t 'tracing otlp' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"tracing\": \"otlp\" }"
t 'DETOUR_TRACING=off' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"] }" DETOUR_TRACING=off
t 'DETOUR_TRACING=bogus' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"] }" DETOUR_TRACING=bogus
t 'missing env key' "{ \"endpoints\": [ { \"name\": \"b\", \"baseUrl\": \"https://b.example.com/v1\", \"apiKey\": {\"env\":\"NOPE_KEY\"} } ], \"gatewayKeys\": [\"gk\"] }"
t 'gatewayKeys name+priority' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [{\"key\":\"gk-a\",\"name\":\"team-a\",\"priority\":\"low\"}] }"
t 'agent.proxy false + agent opts' "{ \"endpoints\": [ $E ], \"gatewayKeys\": [\"gk\"], \"agent\": {\"proxy\": false, \"connectTimeoutMs\": 10000, \"keepAliveTimeoutMs\": 4000, \"bodyIdleTimeoutMs\": 300000} }"
t 'provider list from README' "{ \"endpoints\": [ $(for p in openai azure anthropic groq deepseek together openrouter gemini mistral other; do printf '{ "name": "%s", "baseUrl": "https://%s.example.com/v1", "provider": "%s" },' $p $p $p; done | sed 's/,$//') ], \"gatewayKeys\": [\"gk\"] }"
echo '=== detour.example.json (no keys exported)'; timeout 20 $CLI --check --config apps/worker/detour.example.json 2>&1; echo rc=$?
