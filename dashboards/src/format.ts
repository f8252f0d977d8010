/** Numbers as people read them, and escaping for the little HTML the views build. */
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

export function formatNumber(value: number | null | undefined, kind: 'int' | 'dec' | 'ratio' | 'money' = 'int'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (kind === 'ratio') return `${decimal.format(value)} : 1`;
  if (kind === 'dec') return decimal.format(value);
  return integer.format(value);
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function change(current: number | null, previous: number | null): { text: string; className: string; label: string } {
  if (current === null || previous === null) return { text: 'no previous period', className: 'flat', label: 'no previous period to compare' };
  const delta = current - previous;
  if (Math.abs(delta) < 1e-9) return { text: '± 0 vs previous', className: 'flat', label: 'unchanged from the previous period' };
  const pct = previous !== 0 ? ` (${delta > 0 ? '+' : ''}${Math.round((delta / Math.abs(previous)) * 100)}%)` : '';
  const text = `${delta > 0 ? '▲' : '▼'} ${formatNumber(Math.abs(delta), Number.isInteger(delta) ? 'int' : 'dec')}${pct} vs previous`;
  return { text, className: delta > 0 ? 'up' : 'down', label: `${delta > 0 ? 'up' : 'down'} ${formatNumber(Math.abs(delta), 'dec')} from the previous period` };
}
