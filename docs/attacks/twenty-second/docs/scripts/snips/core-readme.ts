import { createRouter, type Transport } from '@detour/core';
declare const transport: Transport; declare const messages: unknown[];
const router = createRouter(
  {
    endpoints: [
      { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: process.env.OPENAI_API_KEY, priority: 0 },
      { name: 'azure', baseUrl: 'https://acme.openai.azure.com/openai/deployments/prod', apiKey: process.env.AZURE_KEY,
        apiKeyHeader: 'api-key', query: { 'api-version': '2024-10-21' }, models: { 'gpt-4.1': 'prod-gpt41' }, priority: 1 },
    ],
  },
  { transport },
);
const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages }) });
import { systemClock, createSleep, describeTransportError, toResponse, errorResponse, validate, englishMessage, toIssues } from '@detour/core/binding';
import { routerOptionsSchema, endpointSchema, compileRule, rulesModuleSource } from '@detour/core/schemas';
import { DetourError, createDetourFetch, createMemoryStore, createSecretScrubber, priceTableVersion, parseRouterOptions, NoEndpointAvailableError, StreamInterruptedError, AttemptsExhaustedError, apiOfPath } from '@detour/core';
DetourError.isInstance(1);
