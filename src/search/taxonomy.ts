/**
 * The skills taxonomy as the query builder uses it: every English name, French name and
 * synonym, folded, pointing at its skill. A query that says "JS" or "tableur" also finds
 * people who wrote "JavaScript" or "spreadsheets", because the builder adds the skill's
 * canonical names to the text query and its slug as a scored term.
 */
export interface SkillEntry {
  slug: string;
  label: string;
  labelFr: string | null;
  synonyms: string[];
}

export interface SkillTaxonomy {
  /** Skills named by some phrase of `text` (longest phrases first, at most `limit`). */
  skillsIn(text: string, limit?: number): SkillEntry[];
  label(slug: string, language?: string): string | undefined;
  has(slug: string): boolean;
  readonly size: number;
}

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}+#.]+/gu, ' ').trim();
}

const MAX_PHRASE_WORDS = 4;

export function buildTaxonomy(entries: SkillEntry[]): SkillTaxonomy {
  const bySlug = new Map(entries.map((e) => [e.slug, e]));
  const byPhrase = new Map<string, SkillEntry[]>();
  for (const entry of entries) {
    for (const name of new Set([entry.label, entry.labelFr ?? '', entry.slug.replace(/-/g, ' '), ...entry.synonyms].map(fold).filter(Boolean))) {
      const list = byPhrase.get(name) ?? [];
      if (!list.includes(entry)) list.push(entry);
      byPhrase.set(name, list);
    }
  }
  return {
    size: entries.length,
    has: (slug) => bySlug.has(slug),
    label(slug, language) {
      const entry = bySlug.get(slug);
      return entry && (language === 'fr' && entry.labelFr ? entry.labelFr : entry.label);
    },
    skillsIn(text, limit = 5) {
      const words = fold(text).split(' ').filter(Boolean);
      const found: SkillEntry[] = [];
      const used = new Array<boolean>(words.length).fill(false);
      for (let n = Math.min(MAX_PHRASE_WORDS, words.length); n >= 1; n--) {
        for (let start = 0; start + n <= words.length; start++) {
          if (used.slice(start, start + n).some(Boolean)) continue;
          const hits = byPhrase.get(words.slice(start, start + n).join(' '));
          if (!hits) continue;
          for (const hit of hits) if (!found.includes(hit)) found.push(hit);
          for (let i = start; i < start + n; i++) used[i] = true;
        }
      }
      return found.slice(0, limit);
    },
  };
}
