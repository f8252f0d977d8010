import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { BeneficiaryCategory, OpportunityStatus, TrainingDeliveryMode } from './enums.js';
import { Cohort } from './cohort.js';
import { Location } from './location.js';
import { Organization } from './organization.js';
import { Skill } from './skill.js';

export class TrainingProgram extends TimestampedModel {
  static override tableName = 'training_programs';
  static override pgArrayAttributes = ['eligible_categories'];

  static override relationMappings = (): RelationMappings => ({
    provider: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'training_programs.provider_id', to: 'organizations.id' },
    },
    location: {
      relation: Model.BelongsToOneRelation,
      modelClass: Location,
      join: { from: 'training_programs.location_id', to: 'locations.id' },
    },
    skills: {
      relation: Model.ManyToManyRelation,
      modelClass: Skill,
      join: {
        from: 'training_programs.id',
        through: { from: 'training_program_skills.training_program_id', to: 'training_program_skills.skill_id' },
        to: 'skills.id',
      },
    },
    cohorts: {
      relation: Model.HasManyRelation,
      modelClass: Cohort,
      join: { from: 'training_programs.id', to: 'cohorts.training_program_id' },
    },
  });

  declare provider_id: string;
  declare location_id: string | null;
  declare title: string;
  declare title_fr: string | null;
  declare description: string | null;
  declare delivery_mode: TrainingDeliveryMode;
  declare duration_weeks: number | null;
  declare cost: Decimal;
  declare currency: string | null;
  declare capacity: number | null;
  declare is_for_vulnerable: boolean;
  declare eligible_categories: BeneficiaryCategory[];
  declare status: OpportunityStatus;
  declare start_date: Date | string | null;

  declare provider?: Organization;
  declare location?: Location | null;
  declare skills?: Skill[];
  declare cohorts?: Cohort[];
}
