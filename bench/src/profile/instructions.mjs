#!/usr/bin/env node
// Instructions per request, counted by valgrind's callgrind: what a busy host does not disturb. CPU time per request
// on a shared machine moves by 10–50 % from minute to minute; an instruction count moves far less. Each subject runs
// fresh under valgrind (with `--perf-basic-prof`, so V8 names its compiled functions) behind the bench's upstreams.
// `warmup` requests go first with counting off (valgrind runs them several times faster that way), so the hot
// functions are optimised as in the bench's measured windows; then `requests` more are counted. At full speed V8
// optimised functions until about 50,000 requests (`--trace-opt`). After 3,000 a quarter of all instructions were
// still its compiler's; after 30,000 its compiler threads still ran under valgrind, for both subjects alike, so the
// main thread is the figure to compare. Reports the whole process and its main thread (each thread is counted
// apart), then the main thread's functions with the most instructions of their own, JavaScript ones by name and
// source position.
//
// Runs of one build differ. Valgrind runs one thread at a time, so when V8's compiler threads get to finish a job,
// and hence how long a hot function runs unoptimised, varies from run to run: nine runs of one gateway build
// counted 460–523 thousand instructions per request on the main thread (the bare proxy, a smaller program,
// 340–342), and the whole process varies more. Compare the lowest of several runs, or the functions a change touches
// (the difference by function, below, is of the main thread's own instructions), not the totals of one pair of runs.
//
// Under valgrind a request takes some 50 times as long, so work Detour gates by time runs more often than at full
// speed: admission reads quota headers at most once a millisecond per endpoint and model (`readingIntervalMs`),
// which at 7,000 requests a second is one answer in seven and here is every one. Counts say how much code runs, not
// how long it takes: the gateway's code and data do not fit the caches as a loop's do.
//
// Usage: node bench/src/profile/instructions.mjs [--requests 2000] [--warmup 30000] [--connections 10] [--stream] [--top 30]
//          [--config '{"router":{"admission":{"enabled":false}}}'] [--headers openai] [--prompt <bytes>] [subject …]
// `--connections` is how many requests are in flight at once (closed loop; the bench's throughput phase keeps 50).
// `--headers openai` puts the subjects in front of `servers/openai-headers-upstream.mjs`, whose answers carry the 26
// header fields OpenAI sends (the testkit upstream's carry 14); JSON only, so not with `--stream`. `--prompt 20000`
// sends a conversation of about that many bytes (a system prompt and turns of prose) instead of the one-line request.
// A subject is `bare`, `gateway` (this checkout's build) or `name=/path/to/apps/worker/dist/cli.js` (another build,
// e.g. a checkout of an earlier commit); the default is `bare gateway`. `--keep <folder>` keeps each subject's
// callgrind dumps (one per thread, the main thread's first) and V8 code map there, for callgrind_annotate or
// kcachegrind. Needs valgrind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnNode, stopChild, waitForLine } from '../child-processes.mjs';
import { assertLoopbackListener } from '../servers/loopback-check.mjs';
import { requestBody } from '../settings.mjs';
import { startUpstreams } from '../upstream-control.mjs';
import { driveRequests } from './drive-requests.mjs';
import { profileSubjects, subjectLaunch } from './profile-subjects.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '30000' },
    stream: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    config: { type: 'string', default: '{}' },
    keep: { type: 'string' },
    headers: { type: 'string' },
    prompt: { type: 'string' },
    connections: { type: 'string', default: '10' },
  },
});
if (values.headers !== undefined && values.headers !== 'openai') throw new Error(`--headers takes "openai" (got "${values.headers}")`);
if (values.headers !== undefined && values.stream) throw new Error('--headers openai answers JSON only: leave out --stream');
if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('needs valgrind (apt-get install -y valgrind)');
const promptBytes = values.prompt === undefined ? undefined : Number(values.prompt);
if (promptBytes !== undefined && !(Number.isInteger(promptBytes) && promptBytes > 0)) throw new Error(`--prompt takes a whole number of bytes (got "${values.prompt}")`);

/** A conversation of about `bytes` bytes: a system prompt, then user and assistant turns of prose, ending on a user's. */
const conversation = (bytes) => {
  const prose = 'The quarterly report shows revenue growing in every region, with the strongest gains in services. ';
  const messages = [{ role: 'system', content: `You are a careful analyst. ${prose.repeat(4)}` }];
  for (let turn = 0; JSON.stringify(messages).length < bytes; turn += 1) {
    messages.push({ role: turn % 2 === 0 ? 'user' : 'assistant', content: `Turn ${turn}: ${prose.repeat(6)}` });
  }
  if (messages.at(-1).role !== 'user') messages.push({ role: 'user', content: 'Summarise the above in one sentence.' });
  return { model: requestBody.model, messages };
};
const requests = Number(values.requests);
const connections = Number(values.connections);
if (!(Number.isInteger(connections) && connections > 0)) throw new Error(`--connections takes a whole number (got "${values.connections}")`);
const warmup = Number(values.warmup);

const subjects = profileSubjects(positionals);

/** The request every subject gets: the bench's one-line request or a long conversation, streamed with `--stream`. */
const request = promptBytes === undefined ? requestBody : conversation(promptBytes);
const body = JSON.stringify(values.stream ? { ...request, stream: true } : request);

/** V8's map of compiled code (`/tmp/perf-<pid>.map`): sorted [start, end, name]. */
const readCodeMap = (pid) => {
  const rows = readFileSync(`/tmp/perf-${pid}.map`, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [start, size, ...name] = line.split(' ');
    const from = Number.parseInt(start, 16);
    return [from, from + Number.parseInt(size, 16), name.join(' ')];
  });
  return rows.sort((left, right) => left[0] - right[0]);
};

const nameAt = (codeMap, address) => {
  let low = 0;
  let high = codeMap.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (codeMap[middle][0] > address) high = middle - 1;
    else if (codeMap[middle][1] <= address) low = middle + 1;
    else return codeMap[middle][2];
  }
  return undefined;
};

// A function's name and where it lives, without what differs between builds (a bundle's chunk names, line numbers),
// so two builds' functions line up; optimised and unoptimised code of one function add up.
const shortName = (name) =>
  name
    .replace(/^(JS|LazyCompile|Function):[*~^+]?/, '')
    .replace(/file:\/\/\S*?\/(apps|packages)\/([^/]+)\/dist\/\S+/, '($1/$2)')
    .replace(/file:\/\/\S*?\/bench\/(\S+?):\d+:\d+$/, '(bench/$1)')
    .replace(/\S*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(\S+?):\d+:\d+$/, '($2)')
    .replace(/ \[[^\]]*\]$/, '');

/** Self instructions per function from callgrind_annotate, JIT addresses named through the code map. */
const selfCosts = (file, codeMap) => {
  const text = spawnSync('callgrind_annotate', ['--threshold=100', '--inclusive=no', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
  const costs = new Map();
  for (const line of text.split('\n')) {
    const match = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!match || match[2].includes('PROGRAM TOTALS')) continue;
    const address = /^\?\?\?:0x([0-9a-f]+)/.exec(match[2]);
    // callgrind charges some costs to frames it cannot place (JIT code outside the map, `below main`): left out.
    const name = address ? nameAt(codeMap, Number.parseInt(address[1], 16)) : match[2].replace(/^\?\?\?:/, '');
    if (name === undefined) continue;
    const key = shortName(name);
    if (/\(below main\)|libc_start|^main$|node::Start|SpinEventLoop|NodeMainInstance|start_thread|clone\.S/.test(key)) continue;
    costs.set(key, (costs.get(key) ?? 0) + Number(match[1].replaceAll(',', '')));
  }
  return costs;
};

/** The instructions in one thread's callgrind dump. */
const totalOf = (file) => {
  const text = spawnSync('callgrind_annotate', ['--threshold=100', '--inclusive=yes', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
  // A thread that ran nothing while counting has an empty dump, without a total.
  return Number(/^([\d,]+)\s+\(100\.0+%\)\s+PROGRAM TOTALS/m.exec(text)?.[1].replaceAll(',', '') ?? 0);
};

const measure = async ([name, cli], upstreamUrls, folder) => {
  const { args, headers } = subjectLaunch([name, cli], upstreamUrls, folder, JSON.parse(values.config));
  const out = join(folder, `${name}.callgrind`);
  const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, '--perf-basic-prof', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.benchName = `${name} under valgrind`;
  child.output = '';
  child.stderr.on('data', (chunk) => {
    child.output = (child.output + chunk).slice(-4000);
  });
  try {
    const [, origin] = await waitForLine(child, /listening on (http:\/\/\S+)/, 180_000);
    assertLoopbackListener(Number(new URL(origin).port));
    const warmupFailures = await driveRequests(origin, headers, body, warmup, connections);
    spawnSync('callgrind_control', ['--instr=on', String(child.pid)]);
    const failures = await driveRequests(origin, headers, body, requests, connections);
    spawnSync('callgrind_control', ['--dump', String(child.pid)]);
    // One dump per thread (`--separate-threads`), the main thread's first: `<out>.1-01`, `<out>.1-02`, …
    const dumps = spawnSync('sh', ['-c', `ls ${out}.*`], { encoding: 'utf8' }).stdout.split('\n').filter((file) => /\.\d+-\d+$/.test(file)).sort();
    if (dumps.length === 0) throw new Error(`no callgrind dump from ${name}`);
    const counts = dumps.map(totalOf);
    const whole = counts.reduce((sum, count) => sum + count, 0);
    // Functions on the main thread only: the compiler threads' work is the same for any change to the request path.
    const self = selfCosts(dumps[0], readCodeMap(child.pid));
    return { name, whole: whole / requests, main: counts[0] / requests, self, failures: failures + warmupFailures };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    if (values.keep) {
      mkdirSync(values.keep, { recursive: true });
      spawnSync('sh', ['-c', `cp ${out}.* "${values.keep}/" && cp /tmp/perf-${child.pid}.map "${values.keep}/${name}.perf.map"`]);
    }
    rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
  }
};

const thousands = (value) => `${(value / 1000).toFixed(1)}k`;
const folder = mkdtempSync(join(tmpdir(), 'detour-instructions-'));
/** The upstreams with OpenAI's header fields (`--headers openai`), started like the testkit ones. */
const startOpenAiHeadersUpstreams = async () => {
  const child = spawnNode({ name: 'openai-headers upstreams', args: [fileURLToPath(new URL('../servers/openai-headers-upstream.mjs', import.meta.url))] });
  const [line] = await waitForLine(child, /\{"main".*\}/);
  return { urls: JSON.parse(line), stop: () => stopChild(child) };
};
const upstreams = values.headers === 'openai' ? await startOpenAiHeadersUpstreams() : await startUpstreams(undefined);
const results = [];
try {
  for (const subject of subjects) {
    const result = await measure(subject, upstreams.urls, folder);
    results.push(result);
    console.log(`${result.name}: ${thousands(result.whole)} instructions per request (main thread ${thousands(result.main)}), ${requests} requests after ${warmup}, ${result.failures} not 200`);
  }
} finally {
  await upstreams.stop();
  rmSync(folder, { recursive: true, force: true });
}
const top = Number(values.top);
for (const { name, self } of results) {
  console.log(`\n${name}, instructions of their own per request on the main thread:`);
  for (const [key, cost] of [...self].sort((left, right) => right[1] - left[1]).slice(0, top)) console.log(`${thousands(cost / requests).padStart(8)}  ${key}`);
}
if (results.length === 2) {
  const [first, second] = results;
  console.log(`\n${second.name} − ${first.name}, by function (largest differences):`);
  const names = new Set([...first.self.keys(), ...second.self.keys()]);
  const differences = [...names].map((key) => [key, ((second.self.get(key) ?? 0) - (first.self.get(key) ?? 0)) / requests]);
  for (const [key, difference] of differences.sort((left, right) => Math.abs(right[1]) - Math.abs(left[1])).slice(0, top)) {
    console.log(`${(difference >= 0 ? '+' : '') + thousands(difference).padStart(7)}  ${key}`);
  }
}
