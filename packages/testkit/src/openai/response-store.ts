/** One response kept for `GET /v1/responses/{id}` and for continuing a conversation. */
export interface StoredResponse {
  /** The response object as `POST /v1/responses` answered it, serialised. */
  json: string;
  /** Input plus output tokens of the conversation so far, which a continuation is billed as input. */
  conversationTokens: number;
}

/**
 * Responses created with `store` (the API's default), per upstream instance, so `previous_response_id`,
 * `GET /v1/responses/{id}` and `DELETE` behave like the real API. Bounded: past `limit` entries the oldest is
 * forgotten, as if it had expired, so a long benchmark cannot grow it without end.
 */
export class ResponseStore {
  private readonly entries = new Map<string, StoredResponse>();
  private readonly limit: number;

  /** @param limit how many responses to keep @default 1000 */
  constructor(limit = 1000) {
    this.limit = limit;
  }

  get(id: string): StoredResponse | undefined {
    return this.entries.get(id);
  }

  put(id: string, response: StoredResponse): void {
    this.entries.delete(id);
    this.entries.set(id, response);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** Forgets a response; false when there was none. */
  delete(id: string): boolean {
    return this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
