/**
 * CSV for every table-shaped report: RFC 4180 quoting, a header row of the columns, nested
 * values as JSON, and cells that a spreadsheet would run as a formula (=, +, -, @ at the
 * start) prefixed with a quote so an exported figure can never execute.
 */
export function toCsv(rows: Array<Record<string, unknown>>, columns?: string[]): string {
  const header = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header.map(cell).join(','), ...rows.map((row) => header.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n';
}

/** Whether the client asked for CSV (Accept: text/csv, or ?format=csv for a link). */
export function wantsCsv(accept: string | undefined, format: unknown): boolean {
  // An explicit ?format= wins over the Accept header (a browser link cannot set headers).
  if (format === 'csv' || format === 'json') return format === 'csv';
  return /\btext\/csv\b/.test(accept ?? '');
}
