// tiny OpenAI chat upstream. node upstream.mjs PORT NAME [lifetimeSec]
// behaviour by model name: contains "fail" -> 500; "rl" -> 429 retry-after 30; "huge" -> usage 1e308; else 200
import http from 'node:http';
const [port, name = 'up', life = '120'] = process.argv.slice(2);
let count = 0;
const srv = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    count++;
    let j = {}; try { j = JSON.parse(body); } catch {}
    const model = String(j.model ?? '');
    const hdr = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '1000', 'x-ratelimit-remaining-requests': '999', 'x-ratelimit-reset-requests': '1s' };
    if (model.includes('fail')) { res.writeHead(500, hdr); return res.end(JSON.stringify({ error: { message: 'boom ' + name } })); }
    if (model.includes('rl')) { res.writeHead(429, { ...hdr, 'retry-after': '30' }); return res.end(JSON.stringify({ error: { message: 'slow down' } })); }
    const usage = model.includes('huge') ? { prompt_tokens: 1e308, completion_tokens: 1e308, total_tokens: 1e308 } : { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
    if (j.stream) {
      res.writeHead(200, { ...hdr, 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta: { role: 'assistant', content: 'hi from ' + name } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage })}\n\n`);
      return res.end('data: [DONE]\n\n');
    }
    res.writeHead(200, hdr);
    res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi from ' + name }, finish_reason: 'stop' }], usage }));
  });
});
srv.listen(Number(port), '127.0.0.1', () => console.log(`upstream ${name} listening ${port}`));
setTimeout(() => { console.log(`upstream ${name} served ${count}`); process.exit(0); }, Number(life) * 1000).unref();
