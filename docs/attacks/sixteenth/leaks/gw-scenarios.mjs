import { setup, raw, KEY, heldBytes, snapshot, sleep, statusOf } from './gw-harness.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 120000);
const { ups, gw, port } = await setup();
const auth = { authorization: `Bearer ${KEY}` };
const body = (extra) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });
const scen = {
  partialThenDestroy: () => raw(port, { headers: auth, body: body({ pad: 'x'.repeat(1000) }), sendBytes: 100, abortAfterMs: 200 }),
  partialThenWait: () => raw(port, { headers: auth, body: body({ pad: 'x'.repeat(1000) }), sendBytes: 100, maxMs: 4000 }),
  badJson: () => raw(port, { headers: auth, body: '{"model":' + ' '.repeat(200) }),
  noModel: () => raw(port, { headers: auth, body: '{"messages":[]}' }),
  badAuth: () => raw(port, { headers: { authorization: 'Bearer nope' }, body: body() }),
  tooLargeDeclared: () => raw(port, { headers: { ...auth, 'content-length': '70000' }, body: body(), maxMs: 2000 }),
  abortBeforeAnswer: () => raw(port, { headers: auth, body: body({ plan: { a: 'hang', b: 'hang', c: 'hang' } }), abortAfterMs: 300 }),
  allErr500: () => raw(port, { headers: auth, body: body({ plan: { a: 'err500', b: 'err500', c: 'err500' } }) }),
  streamOk: () => raw(port, { headers: auth, body: body({ stream: true }) }),
  streamAbortMid: () => raw(port, { headers: auth, body: body({ stream: true, chunks: 50, delay: 30 }), abortAfterMs: 300 }),
  streamCutRescued: () => raw(port, { headers: auth, body: body({ stream: true, plan: { a: 'streamcut', b: 'streamcut' } }) }),
  streamHang: () => raw(port, { headers: auth, body: body({ stream: true, plan: { a: 'streamhang', b: 'streamhang', c: 'streamhang' } }) }),
  expectContinueTooLarge: () => raw(port, { headers: { ...auth, expect: '100-continue', 'content-length': '70000' }, body: '', maxMs: 2000 }),
  bodyThenFin: () => new Promise(async (res) => { const r = raw(port, { headers: auth, body: body({ plan: { a: 'slow', b: 'slow' } }), abortAfterMs: 1 }); res(await r); }),
  modelTooLong: () => raw(port, { headers: auth, body: JSON.stringify({ model: 'm'.repeat(5000), messages: [] }) }),
};
const only = process.argv[2];
for (const [name, run] of Object.entries(scen)) {
  if (only && name !== only) continue;
  const r = await run();
  await sleep(2500);
  const held = await heldBytes(port);
  const rh = (await gw.router.health()).map((e) => `${e.name}:${e.breaker}/${e.pending}`).join(' ');
  console.log(`${name.padEnd(24)} status=${statusOf(r.got)} why=${r.why} held=${held} upOpen=${ups.map((u) => u.open)} ${rh}`);
}
console.log('final', JSON.stringify(await snapshot(port, gw, ups)));
await gw.close(100); for (const u of ups) await u.close();
clearTimeout(kill);
