import { adminKeyVariable } from '../config/load-config';
import type { SpendRow, SpendSummary } from '../dashboard/cost-ledger';
import type { CostsArgs } from './parse-cli-args';

/** How long the CLI waits for the gateway's answer. */
const timeoutMs = 10_000;

const usd = (value: number) => `$${value.toFixed(6)}`;

/** Lays rows out in columns, numbers right-aligned. */
const table = (header: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number>): string => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((text, column) => (numeric.has(column) ? text.padStart(widths[column]!) : text.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
};

const figures = (row: SpendRow) => [usd(row.successUsd), usd(row.failedUsd), usd(row.abandonedUsd), usd(row.totalUsd), String(row.records)];

// Control characters (ANSI escapes among them), format characters (bidirectional overrides and isolates, zero-width
// ones), line and paragraph separators and lone surrogates in a name are shown escaped: model names are a caller's
// text, and a terminal would act on them or draw the table in an order the caller chose.
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const printable = (text: string): string => text.replace(unprintable, (character) => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/** Renders a spend summary as the tables `detour-gateway costs` prints. */
export const renderCosts = (summary: SpendSummary, window: string): string => {
  const numbers = ['served', 'wasted', 'abandoned', 'total', 'billed'];
  const keyName = (key: string | null) => (key === null ? '(no key)' : printable(key));
  const lines = [
    `Spend over the last ${window} (${new Date(summary.from).toISOString()} to ${new Date(summary.to).toISOString()}): ${usd(summary.totalUsd)}, of which wasted on failed attempts ${usd(summary.wastedUsd)}`,
    '',
  ];
  if (summary.rows.length === 0) return `${lines.join('\n')}No spend recorded in this window.\n`;
  lines.push(
    table(['endpoint', 'model', 'key', ...numbers], summary.rows.map((row) => [row.endpoint, printable(row.model), keyName(row.key), ...figures(row)]), new Set([3, 4, 5, 6, 7])),
    ...(summary.rowsOmitted > 0 ? [`… and ${summary.rowsOmitted} smaller row(s), in every total and sum below`] : []),
    '',
    table(['endpoint', ...numbers], summary.byEndpoint.map((row) => [row.endpoint, ...figures(row)]), new Set([1, 2, 3, 4, 5])),
    '',
    table(['model', ...numbers], summary.byModel.map((row) => [printable(row.model), ...figures(row)]), new Set([1, 2, 3, 4, 5])),
    ...(summary.modelsOmitted > 0 ? [`… and ${summary.modelsOmitted} smaller model(s)`] : []),
    '',
    table(['key', ...numbers], summary.byKey.map((row) => [keyName(row.key), ...figures(row)]), new Set([1, 2, 3, 4, 5])),
  );
  // Summed over the keys, which `rows` may have left some of out.
  const unpriced = summary.byKey.reduce((sum, row) => sum + row.unpriced, 0);
  if (unpriced > 0) lines.push('', `${unpriced} billed attempt(s) had no price for their model: not in these figures (see "prices" in the router options).`);
  return `${lines.join('\n')}\n`;
};

/**
 * `detour-gateway costs`: asks a running gateway's `/admin/costs` for the window and returns the tables to print
 * (or the JSON with `--json`). Throws an error that says what went wrong (no admin key, refused, unreachable).
 */
export const costsCommand = async (args: CostsArgs, env: Readonly<Record<string, string | undefined>>): Promise<string> => {
  const adminKey = args.adminKey ?? env[adminKeyVariable];
  if (!adminKey) throw new Error(`costs needs the gateway's admin key: pass --admin-key or set ${adminKeyVariable}`);
  const url = `${args.url}/admin/costs?window=${encodeURIComponent(args.window)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${adminKey}`, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`Cannot reach the gateway at ${args.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.status === 401) throw new Error('The gateway refused the admin key (401).');
  if (response.status === 404) throw new Error(`The gateway at ${args.url} has no admin key configured ("admin": { "key": … } or ${adminKeyVariable}), so /admin/costs is off.`);
  if (!response.ok) {
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // Not JSON: show the text as it came.
    }
    throw new Error(`The gateway answered ${response.status}: ${message}`);
  }
  if (args.json) return `${text}\n`;
  return renderCosts(JSON.parse(text) as SpendSummary, args.window);
};
