import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import {
  BENEFICIARY_CATEGORIES, CONTRACT_TYPES, EDUCATION_LEVELS, OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES, REMOTE_OPTIONS,
  SENIORITIES, type BeneficiaryCategory, type ContractType, type EducationLevel, type OpportunityStatus,
  type OpportunityType, type RemoteOption, type Seniority,
} from './enums.js';
import { decimal, integer, oneOf, text } from './schema.js';
import { Application } from './application.js';
import { Location } from './location.js';
import { OpportunitySkill } from './opportunity-skill.js';
import { Organization } from './organization.js';
import { Recommendation } from './recommendation.js';
import { Skill } from './skill.js';
import { User } from './user.js';

export class Opportunity extends TimestampedModel {
  static override tableName = 'opportunities';
  // eligible_categories is a Postgres enum array, not jsonb: pg encodes it, objection must not.
  static override pgArrayAttributes = ['eligible_categories'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['type', 'title', 'description'],
    properties: {
      id: text({ format: 'uuid' }),
      type: oneOf(OPPORTUNITY_TYPES),
      title: text({ minLength: 1, maxLength: 200 }),
      description: text(),
      responsibilities: text({ nullable: true }),
      requirements: text({ nullable: true }),
      benefits: text({ nullable: true }),
      language: text({ maxLength: 8 }),
      organization_id: text({ format: 'uuid' }),
      created_by_user_id: text({ format: 'uuid', nullable: true }),
      location_id: text({ format: 'uuid', nullable: true }),
      remote_option: oneOf(REMOTE_OPTIONS),
      sector: text({ maxLength: 60, nullable: true }),
      seniority: oneOf(SENIORITIES, { nullable: true }),
      salary_min: decimal('nonNegative', { nullable: true }),
      salary_max: decimal('nonNegative', { nullable: true }),
      salary_currency: text({ pattern: '^[A-Z]{3}$', nullable: true }),
      contract_type: oneOf(CONTRACT_TYPES, { nullable: true }),
      duration_months: integer(1, undefined, { nullable: true }),
      required_education: oneOf(EDUCATION_LEVELS, { nullable: true }),
      experience_min_years: integer(0, undefined, { nullable: true }),
      experience_max_years: integer(0, undefined, { nullable: true }),
      investment_required: decimal('nonNegative', { nullable: true }),
      amount: decimal('nonNegative', { nullable: true }),
      is_for_vulnerable: { type: 'boolean' },
      eligible_categories: { type: 'array', items: oneOf(BENEFICIARY_CATEGORIES), uniqueItems: true },
      is_confidential: { type: 'boolean' },
      confidential_reason: text({ nullable: true }),
      status: oneOf(OPPORTUNITY_STATUSES),
      external_url: text({ maxLength: 500, nullable: true }),
      source: text({ maxLength: 60 }),
      seo_slug: text({ maxLength: 220, nullable: true }),
      view_count: integer(0),
      introduction_count: integer(0),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'opportunities.organization_id', to: 'organizations.id' },
    },
    location: {
      relation: Model.BelongsToOneRelation,
      modelClass: Location,
      join: { from: 'opportunities.location_id', to: 'locations.id' },
    },
    createdBy: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'opportunities.created_by_user_id', to: 'users.id' },
    },
    skills: {
      relation: Model.HasManyRelation,
      modelClass: OpportunitySkill,
      join: { from: 'opportunities.id', to: 'opportunity_skills.opportunity_id' },
    },
    skillTags: {
      relation: Model.ManyToManyRelation,
      modelClass: Skill,
      join: {
        from: 'opportunities.id',
        through: { from: 'opportunity_skills.opportunity_id', to: 'opportunity_skills.skill_id', extra: ['requirement'] },
        to: 'skills.id',
      },
    },
    applications: {
      relation: Model.HasManyRelation,
      modelClass: Application,
      join: { from: 'opportunities.id', to: 'applications.opportunity_id' },
    },
    recommendations: {
      relation: Model.HasManyRelation,
      modelClass: Recommendation,
      join: { from: 'opportunities.id', to: 'recommendations.opportunity_id' },
    },
  });

  declare type: OpportunityType;
  declare title: string;
  declare description: string;
  declare responsibilities: string | null;
  declare requirements: string | null;
  declare benefits: string | null;
  declare language: string;
  declare organization_id: string;
  declare created_by_user_id: string | null;
  declare location_id: string | null;
  declare remote_option: RemoteOption;
  declare sector: string | null;
  declare seniority: Seniority | null;
  declare salary_min: Decimal | null;
  declare salary_max: Decimal | null;
  declare salary_currency: string | null;
  declare contract_type: ContractType | null;
  declare duration_months: number | null;
  declare required_education: EducationLevel | null;
  declare experience_min_years: number | null;
  declare experience_max_years: number | null;
  declare investment_required: Decimal | null;
  declare amount: Decimal | null;
  declare is_for_vulnerable: boolean;
  declare eligible_categories: BeneficiaryCategory[];
  declare is_confidential: boolean;
  declare confidential_reason: string | null;
  declare status: OpportunityStatus;
  declare application_deadline: Date | string | null;
  declare expected_start_date: Date | string | null;
  declare external_url: string | null;
  declare source_id: string | null;
  declare source: string;
  declare seo_slug: string | null;
  declare view_count: number;
  declare introduction_count: number;
  declare published_at: Date | null;
  declare closed_at: Date | null;

  declare organization?: Organization;
  declare location?: Location | null;
  declare createdBy?: User | null;
  declare skills?: OpportunitySkill[];
  declare skillTags?: Skill[];
  declare applications?: Application[];
  declare recommendations?: Recommendation[];
}
