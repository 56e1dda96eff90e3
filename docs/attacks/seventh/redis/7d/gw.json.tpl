{
  "endpoints": [
    { "name": "primary", "baseUrl": "http://127.0.0.1:UP1/v1", "apiKey": "sk-SECRETPRIMARY-0123456789", "priority": 0 },
    { "name": "backup", "baseUrl": "http://127.0.0.1:UP2/v1", "apiKey": "sk-SECRETBACKUP-0123456789", "priority": 1 }
  ],
  "gatewayKeys": [{ "env": "DETOUR_GATEWAY_KEY" }],
  "store": { "redis": "redis://127.0.0.1:RP" }
}
