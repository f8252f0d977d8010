/**
 * The hard constraints of a beneficiary's match that retrieval enforces with engine filters
 * (rank.ts), checked on two documents in memory — by the rerank after retrieval, and by
 * paths that score a pair without one: within reach of the person's mobility unless remote,
 * and no more education asked than the person has. Status, deadline and eligibility are checked by the caller's
 * query. Pure.
 */
import { EDUCATION_RANK } from '../domain/ranks.js';
import { pairDistance, reachKm } from './features.js';

type Doc = Record<string, any>;

export function withinReach(candidate: Doc, opportunity: Doc): boolean {
  if (opportunity.remote_option === 'remote') return true;
  const reach = reachKm(candidate.mobility);
  const km = pairDistance(candidate, opportunity);
  // Unknown location on either side: retrieval does not exclude it either.
  return reach === null || km === null || km <= reach;
}

export function educatedFor(candidate: Doc, opportunity: Doc): boolean {
  const required = opportunity.required_education ? EDUCATION_RANK[opportunity.required_education] ?? null : null;
  const held = candidate.education_level ? EDUCATION_RANK[candidate.education_level] ?? null : null;
  return required === null || held === null || held >= required;
}
