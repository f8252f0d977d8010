import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { ProficiencyLevel, SkillRequirement, SkillSource } from './enums.js';

export class Skill extends TimestampedModel {
  static override tableName = 'skills';
  static override jsonAttributes = ['synonyms'];

  static override relationMappings = (): RelationMappings => ({
    parent: {
      relation: Model.BelongsToOneRelation,
      modelClass: Skill,
      join: { from: 'skills.parent_skill_id', to: 'skills.id' },
    },
    children: {
      relation: Model.HasManyRelation,
      modelClass: Skill,
      join: { from: 'skills.id', to: 'skills.parent_skill_id' },
    },
  });

  declare slug: string;
  declare skill_name: string;
  declare skill_name_fr: string | null;
  declare skill_category: string;
  declare parent_skill_id: string | null;
  declare synonyms: string[];
  declare usage_count: number;
  declare is_active: boolean;

  declare parent?: Skill | null;
  declare children?: Skill[];

  // Join-table extras, present when a skill is loaded through Candidate.skillTags
  // (candidate_skills) or Opportunity.skillTags (opportunity_skills).
  declare proficiency_level?: ProficiencyLevel;
  declare source?: SkillSource;
  declare years_of_experience?: number | null;
  declare confidence?: Decimal | null;
  declare requirement?: SkillRequirement;
}
