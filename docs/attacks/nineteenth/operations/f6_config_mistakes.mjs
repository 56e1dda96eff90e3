// Day-2 config mistakes: duplicate names after an edit, a key's env var missing after a redeploy, a prefix changed
// on one instance, the config file replaced while running, SIGHUP as a reload. Prints what the operator sees.
import { startRedis, startUpstream, startGateway, chat, getJson, gwConfig, cleanup, hardStop, sleep, CLI, TMP } from './lib.mjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
hardStop(80000);
const GK = 'gk-test-0123456789';
const KEY = 'sk-proj-LIVEkey0123456789abcdXYZ';
try {
  const redis = await startRedis(6397);
  const U = await startUpstream('u', { [KEY]: 'ok', 'sk-proj-SECONDkey9876543210zyxw': 'rate' });
  const run = (label, cfg, env = {}) => {
    const file = `${TMP}/${label}.json`; fs.writeFileSync(file, JSON.stringify(cfg));
    const r = spawnSync(process.execPath, [CLI(), '--check', '--config', file], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 15000 });
    return `exit ${r.status}; stderr: ${r.stderr.trim().replace(/\n/g, ' | ')}`;
  };
  // a) duplicate names after an edit (a second key pasted under the same name)
  console.log('a) duplicate names:', run('dup', gwConfig([
    { name: 'openai', baseUrl: U.url, apiKey: KEY }, { name: 'openai', baseUrl: U.url, apiKey: 'sk-proj-SECONDkey9876543210zyxw' }], redis.url, { gatewayKeys: [GK] })));
  // a2) names differing only by case / surrounding space
  console.log('a2) names "openai" and "OpenAI " :', run('dup2', gwConfig([
    { name: 'openai', baseUrl: U.url, apiKey: KEY }, { name: 'OpenAI ', baseUrl: U.url, apiKey: 'sk-proj-SECONDkey9876543210zyxw' }], redis.url, { gatewayKeys: [GK] })));
  // b) env var missing after a redeploy
  console.log('b) env var missing:', run('noenv', gwConfig([{ name: 'openai', baseUrl: U.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] })));
  // b2) env var set but empty (EnvironmentFile with OPENAI_API_KEY=)
  console.log('b2) env var empty:', run('emptyenv', gwConfig([{ name: 'openai', baseUrl: U.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] }), { OPENAI_API_KEY: '' }));
  // b3) env var with a trailing newline / quotes (a secret manager's value)
  console.log('b3) env var with quotes:', run('quoted', gwConfig([{ name: 'openai', baseUrl: U.url, apiKey: { env: 'OPENAI_API_KEY' } }], redis.url, { gatewayKeys: [GK] }), { OPENAI_API_KEY: `"${KEY}"` }));
  // c) one instance's prefix changed: two fleets silently
  const base = [{ name: 'openai', baseUrl: U.url, apiKey: 'sk-proj-SECONDkey9876543210zyxw', priority: 0 }, { name: 'backup', baseUrl: U.url, apiKey: KEY, priority: 1 }];
  const A = await startGateway('f6-a', gwConfig(base, redis.url, { gatewayKeys: [GK] }));
  const B = await startGateway('f6-b', gwConfig(base, redis.url, { gatewayKeys: [GK], prefix: 'detour-v2:' }));
  await chat(A, GK); await sleep(200);
  const before = U.seen.filter((s) => s.key === 'sk-proj-SECONDkey9876543210zyxw').length;
  const rb = await chat(B, GK);
  console.log(`c) prefix changed on B: B after A's 429: endpoint=${rb.endpoint}; B asked the cooling key ${U.seen.filter((s) => s.key === 'sk-proj-SECONDkey9876543210zyxw').length - before} time(s); B's stdout/stderr say: ${JSON.stringify((B.out.stdout + B.out.stderr).trim())}; B /healthz store: ${JSON.stringify((await getJson(B, '/healthz')).body.store)}`);
  // d) config file replaced while running: does anything read it again?
  fs.writeFileSync(A.file, JSON.stringify(gwConfig([{ name: 'renamed', baseUrl: U.url, apiKey: KEY }], redis.url, { gatewayKeys: ['gk-other-0123456789'] })));
  await sleep(500);
  const rd = await chat(A, GK);
  console.log(`d) config file replaced under A: old gateway key still works? ${rd.status}; endpoints in /healthz: ${(await getJson(A, '/healthz')).body.endpoints.map((e) => e.name).join(',')}`);
  fs.writeFileSync(A.file, '{ this is not json');
  // e) SIGHUP, as many daemons take for "reload the config"
  A.child.kill('SIGHUP');
  const ex = await Promise.race([A.exited, sleep(5000).then(() => 'still running')]);
  console.log(`e) SIGHUP: ${JSON.stringify(ex)}; stdout: ${JSON.stringify(A.out.stdout.trim().split('\n').slice(-2))}`);
  console.log('   (the README\'s systemd unit has Restart=on-failure: an exit 0 is not restarted)');
  await B.stop();
} finally { await cleanup(); }
