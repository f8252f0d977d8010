/**
 * The text an indexed document is embedded from: what a person would read first. Titles
 * and skills lead (the encoder keeps the first features of a text), long free text last.
 */
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function candidateText(doc: Record<string, unknown>): string {
  const skills = (doc.skills as Array<{ label?: string; declared?: boolean }> | undefined) ?? [];
  // Declared skills before inferred ones: what the person says about themselves counts first.
  const labels = [...skills].sort((a, b) => Number(b.declared ?? false) - Number(a.declared ?? false)).map((s) => s.label).filter(Boolean);
  return [doc.headline, ...list(doc.titles), labels.join(', '), doc.summary].filter(Boolean).join('. ');
}

export function opportunityText(doc: Record<string, unknown>): string {
  return [doc.title, list(doc.skill_labels).join(', '), typeof doc.description === 'string' ? doc.description.slice(0, 400) : ''].filter(Boolean).join('. ');
}
