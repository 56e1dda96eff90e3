import { Pool } from 'undici';

/**
 * Sends `count` chat completion requests with `body` (JSON text) to `origin` over `connections` connections, each
 * answer read whole, closed-loop; resolves with how many were not 200. The profiling tools' load: steady, and not timed.
 */
export const driveRequests = async (origin, headers, body, count, connections = 10) => {
  const pool = new Pool(origin, { connections });
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      const answer = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, body });
      await answer.body.text();
      if (answer.statusCode !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  return failed;
};
