import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createUndiciTransport, type UndiciTransport } from '../src/index';
import { agentOptionsSchema } from '../src/schemas';

const upstreams: ChaosUpstream[] = [];
const transports: UndiciTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

describe('the undici transport', () => {
  // A whole, small body cancelled before anyone reads it (a stored-response lookup needs only the status: here
  // testkit's 404 for an unknown response id) used to emit undici's RequestAbortedError, or the reason, with no
  // listener: an uncaught exception that would take a gateway process down.
  it.each([
    ['without a reason', undefined],
    ['with a reason', new Error('not needed')],
  ])('cancels an unread body %s without an unhandled error, and closes it', async (_, reason) => {
    const upstream = await startChaosUpstream({ name: 'holder' });
    upstreams.push(upstream);
    const transport = createUndiciTransport(agentOptionsSchema.parse({}));
    transports.push(transport);
    const unhandled: unknown[] = [];
    let heard: (() => void) | undefined;
    const uncaught = new Promise<void>((resolve) => (heard = resolve));
    const record = (error: unknown) => {
      unhandled.push(error);
      heard?.();
    };
    process.on('uncaughtException', record);
    try {
      const response = await transport(
        { endpoint: 'holder', method: 'GET', url: `${upstream.baseUrl}/responses/resp_unknown`, headers: {}, body: undefined },
        new AbortController().signal,
      );
      expect(response.status).toBe(404);
      // Only 'close' is listened for: an 'error' listener here (as events.once adds) would hide the defect.
      const body = response.body as unknown as NodeJS.ReadableStream;
      const closed = new Promise((resolve) => body.once('close', resolve));
      response.cancel(reason);
      // Node emits a destroyed stream's 'error' just before its 'close'; an unheard one throws instead, and 'close'
      // never comes.
      await Promise.race([closed, uncaught]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
