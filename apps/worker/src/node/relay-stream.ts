import type { ServerResponse } from 'node:http';

/**
 * Relays an answer's stream into Node's response: each chunk written as it arrives, the next read only once Node's
 * buffer has room (back-pressure), and the response ended the way the stream ended. A caller who stops reading
 * leaves the stream unread, and after `idleTimeoutMs` (the router's `streamIdleTimeoutMs`) the router settles it as
 * abandoned and cancels its upstream; the relay then reads once more, meets that verdict, and resets the caller's
 * connection, so that neither its socket nor the stream is held for as long as the caller keeps it open.
 *
 * Promise handlers rather than an async `for await` loop: a suspended async function keeps its frame (about 0.8 KiB
 * with its registers) for the stream's whole life, which for a long answer is minutes and for a gateway is every
 * open stream at once. Here a stream between chunks holds only this object.
 */
export const relayStream = (stream: AsyncIterableIterator<Uint8Array>, outgoing: ServerResponse, idleTimeoutMs: number): void => {
  new StreamRelay(stream, outgoing, idleTimeoutMs).read();
};

// How long after the router's idle bound the relay looks again: the router's own timer, armed first, fires first.
const verdictMarginMs = 1000;
// Node runs a longer timer after 1 ms (with a warning): an idle bound near 2^31 ms must not turn into a read a millisecond.
const longestTimerMs = 2 ** 31 - 1;

class StreamRelay {
  constructor(
    private readonly stream: AsyncIterableIterator<Uint8Array>,
    private readonly outgoing: ServerResponse,
    private readonly idleTimeoutMs: number,
  ) {}

  read(): void {
    let next: Promise<IteratorResult<Uint8Array>>;
    try {
      next = this.stream.next();
    } catch (error) {
      this.fail(error);
      return;
    }
    next.then(this.onRead, this.fail);
  }

  private readonly onRead = (result: IteratorResult<Uint8Array>): void => {
    const outgoing = this.outgoing;
    if (result.done) {
      outgoing.end();
      return;
    }
    // The caller has gone: stop the stream (its guard settles it as cancelled) rather than read it to the end.
    if (outgoing.destroyed) {
      this.stop();
      return;
    }
    let roomLeft: boolean;
    try {
      roomLeft = outgoing.write(result.value);
    } catch (error) {
      this.fail(error);
      return;
    }
    // A slow reader must not make the gateway buffer a whole completion: wait for `drain` (or `close`).
    if (roomLeft) this.read();
    else this.waitForRoom();
  };

  private stop(): void {
    let stopped: unknown;
    try {
      stopped = this.stream.return?.();
    } catch (error) {
      this.fail(error);
      return;
    }
    Promise.resolve(stopped).then(() => this.outgoing.end(), this.fail);
  }

  /**
   * Reads again on the next `drain` or `close`, or once the router has had time to settle the stream as abandoned,
   * whichever comes first, and leaves no listener or timer behind. A caller who is only slow, with no idle verdict
   * (the router reads it as reading), gets one more chunk buffered per look.
   */
  private waitForRoom(): void {
    const outgoing = this.outgoing;
    const resume = (): void => {
      clearTimeout(timer);
      outgoing.off('drain', resume);
      outgoing.off('close', resume);
      this.read();
    };
    const timer = setTimeout(resume, Math.min(this.idleTimeoutMs + verdictMarginMs, longestTimerMs));
    outgoing.on('drain', resume);
    outgoing.on('close', resume);
  }

  /**
   * A cut upstream must reach the caller as a broken response, never a clean end. When the stream already ended
   * with Detour's SSE error event (a rescue that failed), a reset could destroy that event before the client reads
   * it: close the socket after its last byte instead, without the chunked body's terminator, so SDKs read the event
   * and raw HTTP clients still see a body that never ended.
   */
  private readonly fail = (error: unknown): void => {
    if ((error as { sentAsEvent?: unknown } | undefined)?.sentAsEvent === true) endWithoutTerminator(this.outgoing);
    else breakResponse(this.outgoing);
  };
}

/**
 * Ends a response the caller must see as broken. Without chunked framing (HTTP/1.0, or a response with a length)
 * a plain close reads as a complete answer, and even chunked callers may treat a FIN as the end: a TCP reset is
 * unambiguous in every case.
 */
const breakResponse = (outgoing: ServerResponse) => {
  const socket = outgoing.socket;
  if (socket && !socket.destroyed) socket.resetAndDestroy();
  outgoing.destroy();
};

const endWithoutTerminator = (outgoing: ServerResponse) => {
  const socket = outgoing.socket;
  if (socket && !socket.destroyed) socket.end();
  else outgoing.destroy();
};
