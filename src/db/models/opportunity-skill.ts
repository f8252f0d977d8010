import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { ProficiencyLevel, SkillRequirement } from './enums.js';
import { Opportunity } from './opportunity.js';
import { Skill } from './skill.js';

export class OpportunitySkill extends TimestampedModel {
  static override tableName = 'opportunity_skills';

  static override relationMappings = (): RelationMappings => ({
    opportunity: {
      relation: Model.BelongsToOneRelation,
      modelClass: Opportunity,
      join: { from: 'opportunity_skills.opportunity_id', to: 'opportunities.id' },
    },
    skill: {
      relation: Model.BelongsToOneRelation,
      modelClass: Skill,
      join: { from: 'opportunity_skills.skill_id', to: 'skills.id' },
    },
  });

  declare opportunity_id: string;
  declare skill_id: string;
  declare requirement: SkillRequirement;
  declare min_proficiency: ProficiencyLevel | null;
  declare min_years: number | null;

  declare opportunity?: Opportunity;
  declare skill?: Skill;
}
