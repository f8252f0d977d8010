/**
 * `match-notifications`: when an opportunity is published, tell each person it fits well
 * enough — a `new_match` notification (pending; delivery and digests by `frequency` belong to
 * the sender) when its fit score for them reaches their notification_preferences
 * .min_match_score.
 *
 * Who: people with a preferences row that is enabled and not `never` (no row: no match
 * alerts — they are opt-in), a standing consent to matching, eligible for the opportunity
 * (category, vulnerable-only), of one of their chosen opportunity types (none chosen: all),
 * within reach unless remote and educated for it — the hard constraints of recommendations.
 * The score is the application fit score (scorePair: the rerank features without the
 * retrieval-relative text score) under the active ranker's weights.
 *
 * Which opportunities: open ones published in the scope, and never more than 7 days before
 * now — a full rebuild does not alert people about last year's openings. Idempotent on
 * (user, opportunity): an existing new_match notification for the pair is never repeated.
 */
import type { Knex } from 'knex';
import type { JobRunDeps, JobScope } from '../runner.js';
import { loadDocuments } from '../../src/db/documents.js';
import { scorePair } from '../../src/matching/rank.js';
import { educatedFor, withinReach } from '../../src/matching/hard-constraints.js';
import { loadActiveRanker } from '../../src/matching/model-store.js';
import { MATCHABLE, skillLabels } from './matching-deps.js';

export const RECENT_DAYS = 7;
const BATCH = 500;

const PAIRS_SQL = `
SELECT o.id AS opportunity_id, c.id AS candidate_id, u.id AS user_id, u.preferred_language, np.min_match_score::float AS min_score,
  coalesce(np.channels[1], 'in_app') AS channel
FROM opportunities o
JOIN notification_preferences np ON np.enabled AND np.frequency <> 'never'
  AND (cardinality(np.opportunity_types) = 0 OR o.type = ANY(np.opportunity_types))
JOIN users u ON u.id = np.user_id
JOIN candidates c ON c.user_id = u.id
WHERE o.id = ANY(:opportunities::uuid[]) AND ${MATCHABLE}
  AND (cardinality(o.eligible_categories) = 0 OR c.category = ANY(o.eligible_categories))
  AND (NOT o.is_for_vulnerable OR c.category IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.notification_type = 'new_match'
    AND n.related_entity_type = 'opportunity' AND n.related_entity_id = o.id)
ORDER BY o.id, u.id`;

function message(language: string | null, title: string, score: number) {
  const percent = Math.round(score * 100);
  return language === 'fr'
    ? { title: `Nouvelle offre pour vous : ${title}`.slice(0, 200), message: `« ${title} » correspond à votre profil à ${percent} %.` }
    : { title: `New match: ${title}`.slice(0, 200), message: `"${title}" matches your profile at ${percent}%.` };
}

export async function runMatchNotifications(deps: JobRunDeps, scope: JobScope): Promise<number> {
  const { db } = deps;
  const now = deps.now();
  const recent = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const from = new Date(Math.max(Date.parse(scope.from + 'T00:00:00Z'), recent.getTime()));
  const opportunities = await db('opportunities').where({ status: 'active' }).where('published_at', '>=', from).where('published_at', '<', scope.to).where('published_at', '<=', now)
    .where((q) => q.whereNull('application_deadline').orWhere('application_deadline', '>=', now.toISOString().slice(0, 10))).orderBy('id').pluck('id') as string[];
  if (opportunities.length === 0) return 0;
  const ranker = await loadActiveRanker(db);
  const scoring = { encoder: deps.encoder, skillLabels: await skillLabels(db), now: deps.now, weights: ranker?.weights };
  let created = 0;
  for (let i = 0; i < opportunities.length; i += BATCH) {
    const docs = new Map((await loadDocuments(db, 'opportunities', opportunities.slice(i, i + BATCH))).map((d) => [d.id, d.document]));
    const { rows: pairs } = await db.raw(PAIRS_SQL, { opportunities: [...docs.keys()] });
    const people = new Map<string, Record<string, any>>();
    const wanted = [...new Set((pairs as Array<{ candidate_id: string }>).map((p) => p.candidate_id))];
    for (let j = 0; j < wanted.length; j += BATCH) for (const d of await loadDocuments(db, 'candidates', wanted.slice(j, j + BATCH))) people.set(d.id, d.document);
    const notifications = [];
    for (const pair of pairs as Array<{ opportunity_id: string; candidate_id: string; user_id: string; preferred_language: string | null; min_score: number; channel: string }>) {
      const opportunity = docs.get(pair.opportunity_id)!;
      const candidate = people.get(pair.candidate_id)!;
      if (!withinReach(candidate, opportunity) || !educatedFor(candidate, opportunity)) continue;
      const { score } = scorePair(scoring, candidate, opportunity, pair.preferred_language === 'fr' ? 'fr' : 'en');
      if (score < pair.min_score) continue;
      notifications.push({
        user_id: pair.user_id, notification_type: 'new_match', ...message(pair.preferred_language, opportunity.title as string, score),
        related_entity_type: 'opportunity', related_entity_id: pair.opportunity_id, action_url: `/opportunities/${pair.opportunity_id}`, channel: pair.channel, status: 'pending',
      });
    }
    for (let j = 0; j < notifications.length; j += BATCH) created += (await db('notifications').insert(notifications.slice(j, j + BATCH)).returning('id')).length;
  }
  deps.log.info('pipelines: match notifications', { opportunities: opportunities.length, created });
  return created;
}

export const matchNotificationsJob = {
  name: 'match-notifications',
  schedule: '25 * * * *',
  description: 'notifications: a new_match for each person an opportunity published in the last 7 days fits above their min_match_score',
  run: runMatchNotifications,
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`SELECT to_char(min(published_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM opportunities WHERE status = 'active'`);
    return row.day ?? null;
  },
  async touched(db: Knex, since: Date) {
    // A newly published opportunity, or one whose publication or skills changed since.
    const { rows: [row] } = await db.raw(`
      SELECT to_char(min(o.published_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM opportunities o
      WHERE o.status = 'active' AND o.published_at IS NOT NULL
        AND (o.updated_at > :since OR EXISTS (SELECT 1 FROM opportunity_skills os WHERE os.opportunity_id = o.id AND os.updated_at > :since))`, { since });
    return row.day ? [{ from: row.day as string, companies: [] }] : [];
  },
};
