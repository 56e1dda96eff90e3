import { compactAnswer, holdText } from './delivered-answer';
import { MessagesReplay } from './messages-replay';
import { ReplayDivergedError } from './replay-diverged-error';
import type { RescueRelay, RescueRelayOptions } from './rescue-relay';
import { createRestartProbe, maxHeldEvents, restartDiverged, type RestartProbe } from './restart-probe';
import { createEventFraming, readEvent, readEventObject, unreadable, unreadableEvent } from './sse-events';

const named = (name: string, payload: unknown) => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

/**
 * The relay of an Anthropic Messages stream segment (see `createRescueRelay` for chat). `pass` relays the first
 * answer and notes its text; only a text-only answer can be rescued, so any other block (tool use, thinking) marks
 * it as such. `continue` drops the continuation's `message_start` (the caller has the first one, with the
 * message's id) and its opening text block when the delivered block is still open, renumbers its blocks after the
 * delivered ones, and adds the delivered tokens to its `message_delta` output usage. `replay` also drops the
 * replay's `message_start` and relays only what is past the delivered answer, matched block by block
 * (`MessagesReplay`), throwing `ReplayDivergedError` when the replay departs from it or stops short of it. A
 * continuation that started the answer over (its target ignored the
 * prefill) is relayed as a replay (see `createRestartProbe`).
 */
export const createMessagesRelay = ({ mode, answer, trimmed = '', prefixTokens = 0 }: RescueRelayOptions): RescueRelay => {
  let upstreamError: unknown;
  let toTrim = trimmed;
  // The delivered answer as this segment began: whether its text block is still open, and how many blocks it had.
  const openAtStart = answer.openBlock;
  const blocksAtStart = answer.blocks;
  const target = answer.content;
  const startsAtStart = answer.blockStarts?.slice() ?? [];
  // `replay`: the delivered answer the replay must repeat, block by block, before anything of it is relayed.
  let replay: MessagesReplay | undefined;
  const replayed = () => (replay ??= new MessagesReplay(target, startsAtStart, openAtStart));
  // Continuation block index → the caller's block index.
  const indexes = new Map<number, number>();
  // `continue`: a continuation's events are held until its text shows it truly continues (see `createRestartProbe`);
  // a target that ignored the prefill and started over is relayed as the replay it is.
  let probe: RestartProbe | undefined = mode === 'continue' ? createRestartProbe(target) : undefined;
  let effective = mode;
  let restarted = false;
  const held: [string, Record<string, any>][] = [];

  let nextIndex = blocksAtStart;
  const callerIndex = (index: number, type?: unknown): number => {
    let mapped = indexes.get(index);
    if (mapped === undefined) {
      // The continuation's first block carries on the delivered open text block when it is text; any other is new.
      mapped = indexes.size === 0 && openAtStart !== undefined && type === 'text' ? openAtStart : nextIndex++;
      indexes.set(index, mapped);
    }
    return mapped;
  };

  const note = (event: Record<string, any>) => {
    switch (event.type) {
      case 'message_start':
        answer.id ??= event.message?.id;
        answer.model ??= event.message?.model;
        break;
      case 'content_block_start':
        answer.blocks += 1;
        if (event.content_block?.type === 'text') {
          answer.openBlock = event.index;
          if (!answer.overflowed) (answer.blockStarts ??= []).push(answer.content.length);
        } else {
          answer.textOnly = false;
        }
        break;
      case 'content_block_delta':
        if (event.delta?.type === 'text_delta' && typeof event.delta.text === 'string') {
          if (holdText(answer, event.delta.text.length)) answer.content += event.delta.text;
          answer.textChunks += 1;
          compactAnswer(answer);
        } else {
          answer.textOnly = false;
        }
        break;
      case 'content_block_stop':
        if (answer.openBlock === event.index) answer.openBlock = undefined;
        break;
      case 'message_delta':
        if (typeof event.delta?.stop_reason === 'string') answer.finishReason = event.delta.stop_reason;
        break;
      default:
        break;
    }
  };

  /** What the caller receives for one whole event of a rescue segment ('' for nothing). */
  const rescued = (name: string, event: Record<string, any>): string => {
    switch (event.type) {
      case 'message_start':
        // The caller has the first answer's, with the message's id; unless that one never reached it (an unreadable
        // first event), when this one opens the caller's message.
        if (answer.id !== undefined) return '';
        note(event);
        return named(name, event);
      case 'content_block_start': {
        if (effective === 'replay') {
          if (!replayed().start(event.index, event.content_block?.type)) return '';
          break;
        }
        const index = callerIndex(event.index, event.content_block?.type);
        if (index === openAtStart) return '';
        event.index = index;
        // A new block while the delivered text block is still open (a continuation that opens with a tool call): that
        // block is ended first, as the model would have ended it, and the new one opens after it.
        if (openAtStart !== undefined && answer.openBlock === openAtStart) {
          const stop = { type: 'content_block_stop', index: openAtStart };
          note(stop);
          note(event);
          return named('content_block_stop', stop) + named(name, event);
        }
        break;
      }
      case 'content_block_delta': {
        if (effective === 'replay') {
          const rest = replayed().delta(event.index, event.delta?.type, String(event.delta?.text ?? ''));
          if (rest === '') return '';
          if (rest !== undefined) event.delta.text = rest;
          break;
        }
        event.index = callerIndex(event.index);
        if (toTrim !== '' && event.delta?.type === 'text_delta' && typeof event.delta.text === 'string' && event.delta.text !== '') {
          let shared = 0;
          while (shared < toTrim.length && shared < event.delta.text.length && toTrim[shared] === event.delta.text[shared]) shared += 1;
          event.delta.text = event.delta.text.slice(shared);
          toTrim = '';
          if (event.delta.text === '') return '';
        }
        break;
      }
      case 'content_block_stop':
        if (effective === 'replay') {
          // A delivered block the caller already saw end must not end twice.
          if (!replayed().stop(event.index)) return '';
        } else {
          event.index = callerIndex(event.index);
        }
        break;
      case 'message_delta':
        if (effective === 'replay' && !replayed().caughtUp) throw new ReplayDivergedError('finished before repeating the delivered text');
        // A continuation's prompt held the delivered prefix: those tokens are output of the answer the caller got.
        // Moved, not copied: a `message_delta` that restates `input_tokens` counts them in its prompt too.
        if (effective === 'continue' && typeof event.usage?.output_tokens === 'number') {
          event.usage.output_tokens += prefixTokens;
          if (typeof event.usage.input_tokens === 'number') event.usage.input_tokens -= Math.min(prefixTokens, Math.max(event.usage.input_tokens, 0));
        }
        break;
      default:
        break;
    }
    note(event);
    return named(name, event);
  };

  /** Holds a continuation's events until its text gives a verdict, then relays them in the mode it calls for. */
  const probed = (name: string, event: Record<string, any>, active: RestartProbe): string => {
    held.push([name, event]);
    let verdict: 'continue' | 'replay' | undefined;
    if (event.type === 'content_block_delta') {
      if (event.delta?.type !== 'text_delta') verdict = 'continue';
      else if (typeof event.delta.text === 'string' && event.delta.text !== '') verdict = active.see(event.delta.text);
    } else if (event.type === 'content_block_stop' || event.type === 'message_delta' || event.type === 'message_stop') {
      verdict = active.end();
    }
    if (verdict === undefined && held.length >= maxHeldEvents) verdict = active.end();
    if (verdict === undefined) return '';
    probe = undefined;
    if (verdict === 'replay') {
      effective = 'replay';
      restarted = true;
    }
    return held.splice(0).map(([heldName, heldEvent]) => rescued(heldName, heldEvent)).join('');
  };

  const relay = (raw: string): string => {
    const { name, data } = readEvent(raw);
    if (data === undefined) return raw;
    const read = readEventObject(data);
    // A cut or garbled event: the caller's SDK would throw on it, and a rescue may still deliver the answer.
    if (read === unreadable) {
      upstreamError = unreadableEvent(data);
      return '';
    }
    const event = read;
    if (name === 'error' || event?.type === 'error') {
      upstreamError = event?.error ?? data;
      return '';
    }
    // No object, or one that names no Messages event either way: no SDK reads it (the Anthropic SDK dispatches by
    // the event's name), so it goes out as it came rather than under a name made up for it.
    if (!event || (name === '' && typeof event.type !== 'string')) return raw;
    if (mode === 'pass') {
      note(event);
      return raw;
    }
    try {
      return probe ? probed(name || String(event.type), event, probe) : rescued(name || String(event.type), event);
    } catch (error) {
      throw restarted ? restartDiverged(error) : error;
    }
  };

  return createEventFraming(relay, () => upstreamError);
};
