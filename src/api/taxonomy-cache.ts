/**
 * The skills taxonomy, read from Postgres once and refreshed in the background every few
 * minutes: a renamed skill or a new synonym reaches query expansion without a restart, and
 * no search waits on the read (except the very first).
 */
import type { Knex } from 'knex';
import type { Logger } from '../log.js';
import { buildTaxonomy, type SkillTaxonomy } from '../search/taxonomy.js';

const REFRESH_MS = 5 * 60_000;

export interface TaxonomyCache {
  get(): Promise<SkillTaxonomy>;
  /** Reads the taxonomy again now (tests, and after an import). */
  reload(): Promise<SkillTaxonomy>;
}

export function createTaxonomyCache(db: Knex, log: Logger, now: () => number = Date.now): TaxonomyCache {
  let current: Promise<SkillTaxonomy> | undefined;
  let loadedAt = 0;
  let refreshing = false;

  async function load(): Promise<SkillTaxonomy> {
    const rows = await db('skills').select('slug', 'skill_name', 'skill_name_fr', 'synonyms');
    loadedAt = now();
    return buildTaxonomy(rows.map((r) => ({ slug: r.slug, label: r.skill_name, labelFr: r.skill_name_fr, synonyms: r.synonyms ?? [] })));
  }

  const reload = () => {
    const next = load();
    current = next.catch((error) => {
      current = undefined;
      throw error;
    });
    return current;
  };

  return {
    reload,
    get() {
      if (!current) return reload();
      if (now() - loadedAt > REFRESH_MS && !refreshing) {
        refreshing = true;
        load().then((fresh) => { current = Promise.resolve(fresh); }, (error: Error) => log.warn('api: taxonomy refresh failed; keeping the previous one', { error: error.message }))
          .finally(() => { refreshing = false; });
      }
      return current;
    },
  };
}
