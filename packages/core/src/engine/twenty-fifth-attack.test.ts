import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type ScriptedReply } from '../testing/scripted-transport';
import { createRouter, type Router } from './router';

// Attack 25 (a fleet at volume, docs/attacks/twenty-fifth). Several routers on ONE store stand for a fleet whose store
// shares perfectly (a Redis with instant pub/sub): a disable one member raises is every member's at once. The refusal
// streak that makes a no-reset hold grow was kept per router only, so the hold a fleet put on a spent key depended on
// which member drew the recheck's refusal: each member started at the first hold. The store's state now says how
// long the last hold was (`EndpointState.disabledAt`), and the next refusal doubles it on whichever member it comes.

const minute = 60_000;
const spent: ScriptedReply = {
  status: 429,
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
};
const served: ScriptedReply = { body: chatCompletion('ok') };
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };

const fleet = (members: number, disableMs = 3_600_000) => {
  const clock = createFakeClock();
  const store = createMemoryStore();
  let toA = 0;
  const refuse = () => {
    toA += 1;
    return spent;
  };
  const transport = createScriptedTransport({ a: refuse, b: () => served }, { now: clock.now });
  const config = {
    endpoints: ['a', 'b'].map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-0123456789`, priority })),
    rescue: 'off',
    cooldown: { disableMs },
  } as RouterOptionsInput;
  const routers: Router[] = Array.from({ length: members }, () => createRouter(config, { transport, clock, sleep: clock.sleep, random: () => 0, store }));
  const disabledFor = () => {
    const until = store.read('a').disabledUntil;
    return until > clock.now() ? until - clock.now() : 0;
  };
  return { routers, clock, disabledFor, callsToA: () => toA };
};

/** Holds the fleet puts on `a` over `lapses` refusals, when the request after each hold goes to member `pick(lapse)`. */
const holdsWhen = async (members: number, lapses: number, pick: (lapse: number) => number, disableMs?: number) => {
  const { routers, clock, disabledFor, callsToA } = fleet(members, disableMs);
  const holds: number[] = [];
  let elapsed = 0;
  for (let lapse = 0; lapse < lapses; lapse += 1) {
    await routers[pick(lapse)]!.send(chat);
    const hold = disabledFor();
    holds.push(hold / minute);
    elapsed += hold;
    clock.advance(hold);
  }
  return { holds, refusals: callsToA(), minutes: elapsed / minute };
};

describe('attack 25: a fleet sharing one store grows a no-reset hold as one router would', () => {
  it('one router: 5, 10, 20, 40, 60 … minutes (the documented growth)', async () => {
    const { holds } = await holdsWhen(1, 8, () => 0);
    expect(holds).toEqual([5, 10, 20, 40, 60, 60, 60, 60]);
  });

  it('four members, the recheck after each hold drawn by the next member (round-robin): the hold should grow the same', async () => {
    const { holds, refusals } = await holdsWhen(4, 8, (lapse) => lapse % 4);
    // Found: [5, 5, 5, 5, 10, 10, 10, 10]: each member started its own streak at 5 min, so a fleet of N asked a spent
    // key N times as often as one router, for as long as the balance stayed spent.
    expect(holds).toEqual([5, 10, 20, 40, 60, 60, 60, 60]);
    expect(refusals).toBe(8);
  });

  it('six members at the defaults (disableMs 15 min): the hold should reach 15 min, as one router\'s does', async () => {
    const single = await holdsWhen(1, 12, () => 0, 900_000);
    const six = await holdsWhen(6, 12, (lapse) => lapse % 6, 900_000);
    expect(single.holds).toEqual([5, 10, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15]);
    // Found: every hold 5 min. A member's streak is forgotten `disableMs` after its hold ran out, and with six members
    // taking turns its next turn came 25 min later: each refusal was the first of a streak, for ever.
    expect(six.holds).toEqual(single.holds);
    expect(six.minutes).toBe(single.minutes);
  });
});
