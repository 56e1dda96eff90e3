import { setTimeout as delay } from 'node:timers/promises';

/**
 * Sends `count` requests at a steady `rate`, open loop: request i is sent at `start + i / rate` whether or not
 * earlier ones have answered, the way independent users arrive. A closed loop (send, wait, send) would slow down
 * exactly when the system under test does, and hide its worst moments.
 *
 * The waits below are the schedule itself, not a way to wait for something to happen.
 *
 * @template T
 * @param {{ count: number, rate: number, send: (index: number) => Promise<T>, onSent?: (index: number) => void }} options
 * @returns {Promise<T[]>} Every result, in send order, once all have settled.
 */
export const runOpenLoop = async ({ count, rate, send, onSent }) => {
  const intervalMs = 1000 / rate;
  const start = performance.now();
  const pending = [];
  for (let index = 0; index < count; index += 1) {
    // Due times are absolute, so a late timer does not push every later request back.
    const wait = start + index * intervalMs - performance.now();
    if (wait > 0) await delay(wait);
    pending.push(send(index));
    onSent?.(index);
  }
  return Promise.all(pending);
};
