// F?: a 200 whose JSON is an object of the wrong shape is served as a chat completion.
import { withGateway, base } from './repro-common.mjs';
for (const ctype of [undefined, 'application/json']) {
  for (const wrong of [{ ok: true, data: [1, 2] }, { choices: [] }, { id: 'x', object: 'chat.completion', choices: [{ index: 0 }] }, { choices: [{ message: { role: 'assistant', content: null } }] }]) {
    const { res, requests } = await withGateway([[{ ...base, shape: 'jsonWrong', wrong, ctype }], [{ ...base, shape: 'json', ctype: 'application/json' }]], { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    console.log(`ctype=${ctype} upstream e0 200 ${JSON.stringify(wrong)} -> caller ${res.status} from ${res.headers['x-detour-endpoint']} body=${res.body.slice(0, 100)} upstream requests=${JSON.stringify(requests)}`);
  }
}
process.exit(0);
