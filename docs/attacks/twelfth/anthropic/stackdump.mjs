// Debug helper: starts a script under --inspect, pauses it once it spins, prints the JS stack. Usage: node stackdump.mjs script args...
import { spawn } from 'node:child_process';
import { WebSocket } from '../packages/node/node_modules/undici/index.js';
const child = spawn(process.execPath, ['--inspect=127.0.0.1:9339', ...process.argv.slice(2)], { stdio: 'inherit' });
setTimeout(() => { child.kill('SIGKILL'); process.exit(0); }, 12000).unref();
await new Promise((r) => setTimeout(r, 3000));
const [t] = await (await fetch('http://127.0.0.1:9339/json/list')).json();
const ws = new WebSocket(t.webSocketDebuggerUrl);
let id = 0; const send = (method, params = {}) => ws.send(JSON.stringify({ id: ++id, method, params }));
ws.onopen = () => { send('Debugger.enable'); send('Debugger.pause'); };
ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.method === 'Debugger.paused') { for (const f of msg.params.callFrames.slice(0, 20)) console.log(f.functionName || '(anon)', f.url.split('/').slice(-3).join('/'), f.location.lineNumber + 1); child.kill('SIGKILL'); process.exit(0); } };
