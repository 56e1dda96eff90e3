// TEMPORARY: stands in for the parts of @detour/core's issue-15 contract that the `routing` branch is building
// (api names, `apiOfPath`, `endpointApis`, `anthropicErrorBody`, `errorResponse(error, scrub, api)`). Removed when
// `routing` is merged: every import of this file then points at @detour/core or @detour/core/binding.
import type { Endpoint } from '@detour/core';
import { errorResponse as coreErrorResponse } from '@detour/core/binding';

export const apiNames = ['chat', 'completions', 'embeddings', 'responses', 'messages'] as const;
export type ApiName = (typeof apiNames)[number];

export const apiOfPath = (path: string): ApiName | undefined => {
  const bare = path.split('?')[0] ?? '';
  if (/^\/chat\/completions\/?$/.test(bare)) return 'chat';
  if (/^\/completions\/?$/.test(bare)) return 'completions';
  if (/^\/embeddings\/?$/.test(bare)) return 'embeddings';
  if (/^\/responses(\/|$)/.test(bare)) return 'responses';
  if (/^\/messages(\/|$)/.test(bare)) return 'messages';
  return undefined;
};

const defaults: Record<string, readonly ApiName[]> = {
  anthropic: ['messages'],
  groq: ['chat', 'responses'],
  deepseek: ['chat', 'completions'],
  together: ['chat', 'completions', 'embeddings'],
  openrouter: ['chat', 'completions', 'responses'],
  gemini: ['chat', 'embeddings'],
  mistral: ['chat', 'embeddings'],
};

export const endpointApis = (endpoint: Endpoint): readonly ApiName[] =>
  (endpoint as { apis?: readonly ApiName[] }).apis ?? defaults[endpoint.provider ?? 'other'] ?? ['chat', 'completions', 'embeddings', 'responses'];

export const anthropicErrorBody = (message: string, type: string): string => JSON.stringify({ type: 'error', error: { type, message } });

export const errorResponse = (error: unknown, scrub?: (text: string) => string, _api?: ApiName): Response => coreErrorResponse(error, scrub);

/** The API a router event was for (events gain `api` with the `routing` branch). */
export const eventApi = (event: object): ApiName | undefined => (event as { api?: ApiName }).api;
