// node proxy.mjs LISTEN TARGET LIFE ; SIGUSR1 toggles blackhole (hold all bytes both ways), SIGUSR2 toggles 500ms delay
import net from 'node:net';
const [lp, tp, life = '120'] = process.argv.slice(2);
let mode = 'pass'; const held = [];
const send = (dst, chunk) => {
  if (mode === 'hole') return held.push([dst, chunk]);
  if (mode === 'delay') return setTimeout(() => dst.destroyed || dst.write(chunk), 500);
  dst.write(chunk);
};
net.createServer((c) => {
  const u = net.connect(Number(tp), '127.0.0.1');
  c.on('data', (d) => send(u, d)); u.on('data', (d) => send(c, d));
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
}).listen(Number(lp), '127.0.0.1');
process.on('SIGUSR1', () => { mode = mode === 'hole' ? 'pass' : 'hole'; console.log(new Date().toISOString(), 'mode', mode); if (mode === 'pass') for (const [d, c] of held.splice(0)) d.destroyed || d.write(c); });
process.on('SIGUSR2', () => { mode = mode === 'delay' ? 'pass' : 'delay'; console.log(new Date().toISOString(), 'mode', mode); });
setTimeout(() => process.exit(0), Number(life) * 1000).unref();
