import type { Hono } from 'hono';
import type { DashboardCollector } from '../dashboard/dashboard-collector';
import { dashboardPage } from '../dashboard/dashboard-page';
import { adminAuth } from './admin-auth';
import { parseWindow } from './parse-window';

const privateHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * Adds the operator's routes behind the admin key: `/dashboard` (one self-contained page), `/admin/state` (what it
 * draws) and `/admin/costs?window=1h` (spend by endpoint, model and gateway key). Every answer passes through
 * `scrub`, the same scrubber as `/healthz`, so no upstream credential leaves even if a reason quoted one.
 */
export const registerAdminRoutes = (app: Hono, { adminKey, collector, scrub }: { adminKey: string; collector: DashboardCollector; scrub: (text: string) => string }): void => {
  const guard = adminAuth(adminKey);
  app.use('/dashboard', guard);
  app.use('/admin/*', guard);
  const json = (value: unknown, status: 200 | 400 = 200) =>
    new Response(scrub(JSON.stringify(value)), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...privateHeaders } });
  app.get('/dashboard', () => {
    // A fresh nonce per page: the page's one script and one style run, nothing injected would.
    const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    return new Response(dashboardPage(nonce), {
      headers: {
        'content-type': 'text/html; charset=utf-8', ...privateHeaders, 'x-frame-options': 'DENY',
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      },
    });
  });
  app.get('/admin/state', async () => json(await collector.state()));
  app.get('/admin/costs', (context) => {
    let windowMs: number;
    try {
      windowMs = parseWindow(context.req.query('window'));
    } catch (error) {
      return json({ error: { code: 'invalid_window', message: (error as Error).message } }, 400);
    }
    return json(collector.costs(windowMs));
  });
};
