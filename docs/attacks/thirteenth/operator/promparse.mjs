// Strict Prometheus text 0.0.4 parser: returns list of problems.
export const parseProm = (buf) => {
  const problems = [];
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  try { new TextDecoder('utf-8', { fatal: true }).decode(buf); } catch { problems.push('invalid UTF-8'); }
  const types = new Map(); const seen = new Set(); const sampled = new Set();
  const lines = text.split('\n'); if (lines.at(-1) === '') lines.pop();
  const nameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
  lines.forEach((line, no) => {
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line);
      if (!m) return;
      if (m[1] === 'TYPE') { if (types.has(m[2])) problems.push(`line ${no + 1}: second TYPE for ${m[2]}`); if (sampled.has(m[2])) problems.push(`line ${no+1}: TYPE after samples`); types.set(m[2], m[3]); }
      return;
    }
    if (line.trim() === '') return;
    let at = 0; const nm = nameRe.exec(line); if (!nm) return problems.push(`line ${no + 1}: bad metric name: ${JSON.stringify(line.slice(0, 80))}`);
    at = nm[0].length; const name = nm[0]; const labels = [];
    if (line[at] === '{') {
      at++;
      while (line[at] !== '}') {
        const ln = nameRe.exec(line.slice(at)); if (!ln) return problems.push(`line ${no + 1}: bad label name at ${at}: ${JSON.stringify(line.slice(0, 120))}`);
        at += ln[0].length; if (line[at] !== '=' || line[at + 1] !== '"') return problems.push(`line ${no + 1}: expected =" at ${at}`);
        at += 2; let v = '';
        for (;;) {
          const c = line[at];
          if (c === undefined) return problems.push(`line ${no + 1}: unterminated label value`);
          if (c === '"') { at++; break; }
          if (c === '\\') { const e = line[at + 1]; if (e === '\\') v += '\\'; else if (e === '"') v += '"'; else if (e === 'n') v += '\n'; else return problems.push(`line ${no + 1}: bad escape \\${e}`); at += 2; continue; }
          v += c; at++;
        }
        labels.push([ln[0], v]);
        if (line[at] === ',') at++; else if (line[at] !== '}') return problems.push(`line ${no + 1}: expected , or } at ${at}`);
      }
      at++;
    }
    const rest = line.slice(at);
    if (!/^ [-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|NaN|[-+]?Inf)( -?\d+)?$/.test(rest)) problems.push(`line ${no + 1}: bad value ${JSON.stringify(rest.slice(0, 40))}`);
    const id = name + JSON.stringify(labels.slice().sort());
    if (seen.has(id)) problems.push(`line ${no + 1}: duplicate series ${JSON.stringify(line.slice(0, 160))}`);
    seen.add(id);
    sampled.add(name.replace(/_(bucket|sum|count)$/, ''));
  });
  return { problems, lines: lines.length, bytes: buf.length };
};
