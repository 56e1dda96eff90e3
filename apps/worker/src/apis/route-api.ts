import { apiOfPath, type ApiName } from '@detour/core';

/**
 * The API a gateway path belongs to (`/v1/messages/count_tokens` → `messages`, `/v1/responses/{id}` → `responses`),
 * or undefined outside `/v1` and for paths no API claims. Decides the shape of the errors a caller gets.
 */
export const apiOfRoute = (path: string): ApiName | undefined => (path.startsWith('/v1/') ? apiOfPath(path.slice(3)) : undefined);
