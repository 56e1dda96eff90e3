// The report's Markdown pieces shared by every section.

/** A Markdown table: a header row, its rule, then one line per row (cells already formatted). */
export const markdownTable = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

/** MiB to one decimal, or 'n/a'. */
export const formatMib = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
