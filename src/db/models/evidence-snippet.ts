import { Model, type RelationMappings } from 'objection';
import { BaseModel } from './base.js';
import { OutcomeScore } from './outcome-score.js';

export class EvidenceSnippet extends BaseModel {
  static override tableName = 'evidence_snippets';

  static override relationMappings = (): RelationMappings => ({
    outcomeScore: {
      relation: Model.BelongsToOneRelation,
      modelClass: OutcomeScore,
      join: { from: 'evidence_snippets.outcome_score_id', to: 'outcome_scores.id' },
    },
  });

  declare outcome_score_id: string;
  declare snippet_text: string;
  /** SHA-256 hex of the snippet text, unique: the same evidence is stored once. */
  declare snippet_hash: string;
  declare embedding_ref: string | null;

  declare outcomeScore?: OutcomeScore;
}
