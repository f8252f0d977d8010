import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import {
  COMPANY_SIZES, ORG_STATUSES, ORG_VERIFICATION_STATUSES, ORGANIZATION_TYPES, SUBSCRIPTION_TIERS,
  type CompanySize, type OrganizationType, type OrgStatus, type OrgVerificationStatus, type SubscriptionTier,
} from './enums.js';
import { integer, oneOf, text } from './schema.js';
import { Investment } from './investment.js';
import { Location } from './location.js';
import { OrganizationMember } from './organization-member.js';
import { Opportunity } from './opportunity.js';
import { Program } from './program.js';
import { SroiValueMap } from './sroi-value-map.js';
import { TalentPool } from './talent-pool.js';
import { TrainingProgram } from './training-program.js';
import { User } from './user.js';

export class Organization extends TimestampedModel {
  static override tableName = 'organizations';
  static override jsonAttributes = ['settings'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['name', 'type'],
    properties: {
      id: text({ format: 'uuid' }),
      name: text({ minLength: 1, maxLength: 200 }),
      type: oneOf(ORGANIZATION_TYPES),
      industry: text({ maxLength: 100, nullable: true }),
      company_size: oneOf(COMPANY_SIZES, { nullable: true }),
      country: text({ pattern: '^[A-Z]{2}$', nullable: true }),
      website: text({ maxLength: 255, nullable: true }),
      contact_email: text({ maxLength: 255, nullable: true }),
      verified: { type: 'boolean' },
      verification_status: oneOf(ORG_VERIFICATION_STATUSES),
      status: oneOf(ORG_STATUSES),
      subscription_tier: oneOf(SUBSCRIPTION_TIERS, { nullable: true }),
      introduction_credits: integer(0),
      settings: { type: 'object' },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    location: {
      relation: Model.BelongsToOneRelation,
      modelClass: Location,
      join: { from: 'organizations.location_id', to: 'locations.id' },
    },
    members: {
      relation: Model.HasManyRelation,
      modelClass: OrganizationMember,
      join: { from: 'organizations.id', to: 'organization_members.organization_id' },
    },
    users: {
      relation: Model.ManyToManyRelation,
      modelClass: User,
      join: {
        from: 'organizations.id',
        through: { from: 'organization_members.organization_id', to: 'organization_members.user_id', extra: ['role'] },
        to: 'users.id',
      },
    },
    opportunities: {
      relation: Model.HasManyRelation,
      modelClass: Opportunity,
      join: { from: 'organizations.id', to: 'opportunities.organization_id' },
    },
    trainingPrograms: {
      relation: Model.HasManyRelation,
      modelClass: TrainingProgram,
      join: { from: 'organizations.id', to: 'training_programs.provider_id' },
    },
    programs: {
      relation: Model.HasManyRelation,
      modelClass: Program,
      join: { from: 'organizations.id', to: 'programs.organization_id' },
    },
    talentPools: {
      relation: Model.HasManyRelation,
      modelClass: TalentPool,
      join: { from: 'organizations.id', to: 'talent_pools.organization_id' },
    },
    investments: {
      relation: Model.HasManyRelation,
      modelClass: Investment,
      join: { from: 'organizations.id', to: 'investments.organization_id' },
    },
    valueMaps: {
      relation: Model.HasManyRelation,
      modelClass: SroiValueMap,
      join: { from: 'organizations.id', to: 'sroi_value_maps.organization_id' },
    },
  });

  declare name: string;
  declare type: OrganizationType;
  declare industry: string | null;
  declare industry_id: string | null;
  declare company_size: CompanySize | null;
  declare location_id: string | null;
  declare country: string | null;
  declare website: string | null;
  declare description: string | null;
  declare registration_number: string | null;
  declare tax_number: string | null;
  declare contact_email: string | null;
  declare contact_phone: string | null;
  declare verified: boolean;
  declare verification_status: OrgVerificationStatus;
  declare verification_date: Date | null;
  declare status: OrgStatus;
  declare subscription_tier: SubscriptionTier | null;
  declare subscription_expires_at: Date | null;
  declare introduction_credits: number;
  declare settings: Record<string, unknown>;

  declare location?: Location | null;
  declare members?: OrganizationMember[];
  declare users?: User[];
  declare opportunities?: Opportunity[];
  declare trainingPrograms?: TrainingProgram[];
  declare programs?: Program[];
  declare talentPools?: TalentPool[];
  declare investments?: Investment[];
  declare valueMaps?: SroiValueMap[];
}
