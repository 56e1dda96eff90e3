import { createFetch } from '@detour/node';
for (const date of ['2026-13-45', '2026-02-30', '2026/11/01', 'yesterday', '26-1-1']) {
  try { createFetch({ endpoints: [{ name: 'a', baseUrl: 'http://127.0.0.1:4101/v1' }], prices: [{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, date }] }); console.log(date, 'accepted'); }
  catch (e) { console.log(date, 'threw:', e.message.split('\n')[1]); }
}
