import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { ProficiencyLevel, SkillSource } from './enums.js';
import { Candidate } from './candidate.js';
import { Skill } from './skill.js';

export class CandidateSkill extends TimestampedModel {
  static override tableName = 'candidate_skills';

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'candidate_skills.candidate_id', to: 'candidates.id' },
    },
    skill: {
      relation: Model.BelongsToOneRelation,
      modelClass: Skill,
      join: { from: 'candidate_skills.skill_id', to: 'skills.id' },
    },
  });

  declare candidate_id: string;
  declare skill_id: string;
  declare proficiency_level: ProficiencyLevel;
  declare years_of_experience: number | null;
  declare is_primary_skill: boolean;
  declare source: SkillSource;
  /** For inferred skills: how sure the inference is (0..1). */
  declare confidence: Decimal | null;
  declare endorsement_count: number;

  declare candidate?: Candidate;
  declare skill?: Skill;
}
