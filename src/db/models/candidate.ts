import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import {
  BENEFICIARY_CATEGORIES, CANDIDATE_TYPES, EDUCATION_LEVELS, MOBILITIES, PROFILE_VISIBILITIES, VERIFICATION_STATUSES,
  type BeneficiaryCategory, type CandidateType, type EducationLevel, type Mobility, type ProfileVisibility,
  type VerificationStatus,
} from './enums.js';
import { decimal, integer, oneOf, text } from './schema.js';
import { Application } from './application.js';
import { CandidateCertification } from './candidate-certification.js';
import { CandidateEducation } from './candidate-education.js';
import { CandidateExperience } from './candidate-experience.js';
import { CandidateLanguage } from './candidate-language.js';
import { CandidateSkill } from './candidate-skill.js';
import { IntroductionRequest } from './introduction-request.js';
import { Location } from './location.js';
import { Organization } from './organization.js';
import { Placement } from './placement.js';
import { Recommendation } from './recommendation.js';
import { Skill } from './skill.js';
import { User } from './user.js';

export class Candidate extends TimestampedModel {
  static override tableName = 'candidates';
  static override jsonAttributes = ['badges'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    // user_id is not required here: in insertGraph from a user it is filled after validation.
    required: ['candidate_type'],
    properties: {
      id: text({ format: 'uuid' }),
      user_id: text({ format: 'uuid' }),
      candidate_type: oneOf(CANDIDATE_TYPES),
      category: oneOf(BENEFICIARY_CATEGORIES, { nullable: true }),
      education_level: oneOf(EDUCATION_LEVELS, { nullable: true }),
      years_experience: integer(0, 70),
      headline: text({ maxLength: 200, nullable: true }),
      summary: text({ nullable: true }),
      current_title: text({ maxLength: 150, nullable: true }),
      current_company: text({ maxLength: 150, nullable: true }),
      current_organization_id: text({ format: 'uuid', nullable: true }),
      current_industry: text({ maxLength: 100, nullable: true }),
      location_id: text({ format: 'uuid', nullable: true }),
      mobility: oneOf(MOBILITIES),
      willing_to_relocate: { type: 'boolean' },
      available_capital: decimal('nonNegative', { nullable: true }),
      salary_expectation_min: decimal('nonNegative', { nullable: true }),
      salary_expectation_max: decimal('nonNegative', { nullable: true }),
      salary_currency: text({ pattern: '^[A-Z]{3}$', nullable: true }),
      notice_period_days: integer(0, 365),
      open_to_opportunities: { type: 'boolean' },
      confidential_search: { type: 'boolean' },
      profile_visibility: oneOf(PROFILE_VISIBILITIES),
      verification_status: oneOf(VERIFICATION_STATUSES),
      profile_completeness: integer(0, 100),
      onboarding_completed: { type: 'boolean' },
      linkedin_url: text({ maxLength: 255, nullable: true }),
      portfolio_url: text({ maxLength: 255, nullable: true }),
      resume_url: text({ maxLength: 500, nullable: true }),
      video_resume_url: text({ maxLength: 500, nullable: true }),
      badges: { type: 'array' },
      training_status: text({ maxLength: 40, nullable: true }),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'candidates.user_id', to: 'users.id' },
    },
    location: {
      relation: Model.BelongsToOneRelation,
      modelClass: Location,
      join: { from: 'candidates.location_id', to: 'locations.id' },
    },
    currentOrganization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'candidates.current_organization_id', to: 'organizations.id' },
    },
    skills: {
      relation: Model.HasManyRelation,
      modelClass: CandidateSkill,
      join: { from: 'candidates.id', to: 'candidate_skills.candidate_id' },
    },
    skillTags: {
      relation: Model.ManyToManyRelation,
      modelClass: Skill,
      join: {
        from: 'candidates.id',
        through: {
          from: 'candidate_skills.candidate_id',
          to: 'candidate_skills.skill_id',
          extra: ['proficiency_level', 'source', 'years_of_experience'],
        },
        to: 'skills.id',
      },
    },
    experience: {
      relation: Model.HasManyRelation,
      modelClass: CandidateExperience,
      join: { from: 'candidates.id', to: 'candidate_experience.candidate_id' },
    },
    education: {
      relation: Model.HasManyRelation,
      modelClass: CandidateEducation,
      join: { from: 'candidates.id', to: 'candidate_education.candidate_id' },
    },
    languages: {
      relation: Model.HasManyRelation,
      modelClass: CandidateLanguage,
      join: { from: 'candidates.id', to: 'candidate_languages.candidate_id' },
    },
    certifications: {
      relation: Model.HasManyRelation,
      modelClass: CandidateCertification,
      join: { from: 'candidates.id', to: 'candidate_certifications.candidate_id' },
    },
    applications: {
      relation: Model.HasManyRelation,
      modelClass: Application,
      join: { from: 'candidates.id', to: 'applications.candidate_id' },
    },
    recommendations: {
      relation: Model.HasManyRelation,
      modelClass: Recommendation,
      join: { from: 'candidates.id', to: 'recommendations.candidate_id' },
    },
    introductionRequests: {
      relation: Model.HasManyRelation,
      modelClass: IntroductionRequest,
      join: { from: 'candidates.id', to: 'introduction_requests.candidate_id' },
    },
    placements: {
      relation: Model.HasManyRelation,
      modelClass: Placement,
      join: { from: 'candidates.id', to: 'placements.candidate_id' },
    },
  });

  declare user_id: string;
  declare candidate_type: CandidateType;
  declare category: BeneficiaryCategory | null;
  declare education_level: EducationLevel | null;
  declare years_experience: number;
  declare headline: string | null;
  declare summary: string | null;
  declare current_title: string | null;
  declare current_company: string | null;
  /** The employer a confidential search must stay hidden from, when it is on the platform. */
  declare current_organization_id: string | null;
  declare current_industry: string | null;
  declare location_id: string | null;
  declare mobility: Mobility;
  declare willing_to_relocate: boolean;
  declare available_capital: Decimal | null;
  declare salary_expectation_min: Decimal | null;
  declare salary_expectation_max: Decimal | null;
  declare salary_currency: string | null;
  declare notice_period_days: number;
  declare open_to_opportunities: boolean;
  declare confidential_search: boolean;
  declare profile_visibility: ProfileVisibility;
  declare verification_status: VerificationStatus;
  declare verification_date: Date | null;
  declare profile_completeness: number;
  declare onboarding_completed: boolean;
  declare linkedin_url: string | null;
  declare portfolio_url: string | null;
  declare resume_url: string | null;
  declare video_resume_url: string | null;
  declare badges: unknown[];
  declare training_status: string | null;
  declare last_active_at: Date;
  declare deleted_at: Date | null;

  declare user?: User;
  declare location?: Location | null;
  declare currentOrganization?: Organization | null;
  declare skills?: CandidateSkill[];
  declare skillTags?: Skill[];
  declare experience?: CandidateExperience[];
  declare education?: CandidateEducation[];
  declare languages?: CandidateLanguage[];
  declare certifications?: CandidateCertification[];
  declare applications?: Application[];
  declare recommendations?: Recommendation[];
  declare introductionRequests?: IntroductionRequest[];
  declare placements?: Placement[];
}
