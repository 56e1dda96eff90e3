// Probe: what workerd's fetch throws for a refused connection vs a reset after the request was read, and whether a
// ReadableStream body was pulled before the failure (a way to tell "never sent" without an errno).
export default {
  async fetch(request) {
    const { url, size } = await request.json();
    let pulled = 0;
    const body = new ReadableStream({ pull(c) { pulled += 1; if (pulled > Math.ceil(size / 65536)) return c.close(); c.enqueue(new Uint8Array(Math.min(65536, size))); } }, { highWaterMark: 0 });
    const t0 = Date.now();
    try {
      const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, duplex: 'half' });
      return Response.json({ status: r.status, pulled });
    } catch (e) {
      const chain = []; let c = e; for (let i = 0; i < 4 && c; i++, c = c.cause) chain.push({ name: c.name, message: c.message, code: c.code, props: Object.fromEntries(Object.keys(c).map((k) => [k, c[k]])) });
      // and with a bytes body
      let bytesErr; try { await fetch(url, { method: 'POST', body: new Uint8Array(size) }); } catch (e2) { bytesErr = `${e2.name}: ${e2.message}`; }
      return Response.json({ threw: chain, pulled, ms: Date.now() - t0, bytesErr });
    }
  },
};
