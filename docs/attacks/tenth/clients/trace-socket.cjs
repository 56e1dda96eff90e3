const net = require('node:net');
const log = (what, s) => { if (s.server || s._server) process.stderr.write(`[trace] ${what} pending=${s.writableLength} kernelish=${s.bufferSize}\n${new Error().stack.split('\n').slice(2, 9).join('\n')}\n`); };
for (const m of ['end', 'resetAndDestroy', 'destroySoon']) { const o = net.Socket.prototype[m]; net.Socket.prototype[m] = function (...a) { log(m, this); return o.apply(this, a); }; }
const od = net.Socket.prototype.destroy; net.Socket.prototype.destroy = function (...a) { log('destroy' + (this.resetAndClosing ? '(reset)' : ''), this); return od.apply(this, a); };
