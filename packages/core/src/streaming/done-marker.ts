/**
 * Whether an event's data is chat's terminating `[DONE]`, read as the openai SDK reads it: by its opening, so that
 * `[DONE] ` with a trailing blank (which some servers send) ends the stream there too.
 */
export const isDoneMarker = (data: string): boolean => data.startsWith('[DONE]');
