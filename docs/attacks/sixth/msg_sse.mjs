export function msgEvents(id, blocks, { stopReason = 'end_turn', pieceLen = 3 } = {}) {
  const evs = [];
  evs.push(['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }]);
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      evs.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      for (const p of b.text.match(new RegExp(`[\\s\\S]{1,${pieceLen}}`, 'gu'))) evs.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } }]);
    } else if (b.type === 'tool_use') {
      evs.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }]);
      const js = JSON.stringify(b.input);
      for (const p of js.match(/[\s\S]{1,5}/g)) evs.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } }]);
    } else if (b.type === 'thinking') {
      evs.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }]);
      for (const p of b.thinking.match(/[\s\S]{1,6}/g)) evs.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: p } }]);
      evs.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'sigABC' } }]);
    }
    evs.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  evs.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 42 } }]);
  evs.push(['message_stop', { type: 'message_stop' }]);
  return evs;
}
export const sse = (e, d) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`;
