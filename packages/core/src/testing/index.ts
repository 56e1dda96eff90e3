/** Test helpers for Detour users and for our own tests: a fake clock and a scripted, in-memory transport. */
export { createFakeClock, type FakeClock } from './fake-clock';
export {
  chatCompletion, createScriptedTransport, requestText, type EndpointScript, type ScriptedCall, type ScriptedReply,
  type ScriptedTransport,
} from './scripted-transport';
