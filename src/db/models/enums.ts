/**
 * The Postgres enum values the models validate against, copied from the canonical schema
 * migration: migrations are frozen history and import only knex, so the application keeps
 * its own copy. test/models.test.ts checks each list against pg_enum, so drift shows up.
 */
export const USER_TYPES = [
  'BENEFICIARY', 'EXPERT', 'GOVERNMENT_PARTNER', 'NGO_PARTNER', 'PRIVATE_SECTOR', 'ADMINISTRATOR',
  'PROFESSIONAL', 'HR_PARTNER', 'EMPLOYER', 'COMPANY_USER', 'PARTICIPANT', 'VOLUNTEER', 'STUDENT', 'INSTITUTION_ADMIN', 'SPONSOR_CONTACT',
] as const;
export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'PENDING_VERIFICATION', 'DELETED'] as const;
export const BENEFICIARY_CATEGORIES = [
  'RETURNING_MIGRANT', 'IDP', 'FORMER_ARMED_GROUP_MEMBER', 'AFFECTED_COMMUNITY', 'CROSS_BORDER_TRADER', 'DIASPORA_MEMBER',
] as const;
export const EDUCATION_LEVELS = ['NO_FORMAL_EDUCATION', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'] as const;
export const OPPORTUNITY_TYPES = [
  'PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'INTERNSHIP', 'APPRENTICESHIP', 'ENTREPRENEURSHIP',
  'VOCATIONAL_TRAINING', 'PROFESSIONAL_CERTIFICATION', 'BUSINESS_GRANT', 'MICRO_CREDIT',
] as const;
export const PERMISSION_ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'PUBLISH', 'APPROVE', 'REJECT', 'REVIEW', 'EXPORT', 'IMPORT', 'MANAGE'] as const;
export const APPLICATION_STATUSES = [
  'DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'SHORTLISTED', 'INTERVIEW', 'OFFERED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN', 'HIRED',
] as const;
export const CANDIDATE_TYPES = ['beneficiary', 'job_seeker', 'professional', 'student', 'participant'] as const;
export const ORGANIZATION_TYPES = [
  'employer', 'ngo', 'government', 'private_sector', 'training_provider', 'institution', 'sponsor', 'csr_company',
] as const;
export const ORGANIZATION_MEMBER_ROLES = ['owner', 'admin', 'member', 'recruiter', 'analyst', 'viewer'] as const;
export const MOBILITIES = ['local', 'regional', 'national', 'international'] as const;
export const SENIORITIES = ['entry', 'junior', 'mid', 'senior', 'lead', 'director', 'vp', 'c_suite', 'executive'] as const;
export const CONTRACT_TYPES = [
  'full_time', 'part_time', 'contract', 'consulting', 'temporary', 'internship', 'apprenticeship', 'self_employed',
] as const;
export const REMOTE_OPTIONS = ['on_site', 'hybrid', 'remote'] as const;
export const OPPORTUNITY_STATUSES = ['draft', 'active', 'paused', 'filled', 'closed', 'expired'] as const;
export const SKILL_REQUIREMENTS = ['required', 'preferred'] as const;
export const SKILL_SOURCES = ['declared', 'inferred'] as const;
export const RECOMMENDATION_STATUSES = ['generated', 'viewed', 'clicked', 'applied', 'dismissed', 'abandoned'] as const;
export const CONSENT_TYPES = ['data_processing', 'profile_search', 'matching', 'data_sharing', 'marketing', 'research'] as const;
export const MODEL_STATUSES = ['training', 'candidate', 'active', 'retired', 'failed'] as const;
export const PROFILE_VISIBILITIES = ['private', 'network', 'public'] as const;
export const VERIFICATION_STATUSES = ['unverified', 'basic', 'full', 'premium'] as const;
export const ORG_VERIFICATION_STATUSES = ['pending', 'verified', 'premium'] as const;
export const ORG_STATUSES = ['active', 'suspended', 'inactive'] as const;
export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '500+'] as const;
export const SUBSCRIPTION_TIERS = ['trial', 'basic', 'professional', 'enterprise'] as const;
export const PROFICIENCY_LEVELS = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
export const EMPLOYMENT_TYPES = [
  'full_time', 'part_time', 'contract', 'consulting', 'self_employed', 'informal', 'internship', 'volunteer',
] as const;
export const DEGREE_TYPES = [
  'primary', 'secondary', 'vocational_certificate', 'diploma', 'associate', 'bachelor', 'master', 'phd', 'other',
] as const;
export const INTRODUCTION_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export const INTRODUCTION_OUTCOMES = ['hired', 'rejected', 'withdrew', 'no_response'] as const;
export const POOL_VISIBILITIES = ['private', 'organization'] as const;
export const COHORT_PROGRAM_TYPES = ['learnership', 'internship', 'candidacy'] as const;
export const COHORT_STATES = ['draft', 'active', 'completed', 'cancelled'] as const;
export const ENROLLMENT_STATES = ['waiting', 'in_progress', 'complete'] as const;
export const DOCUMENT_VERIFICATION_STATES = ['pending', 'verified', 'rejected'] as const;
export const VERIFICATION_ACTIONS = ['approved', 'rejected'] as const;
export const PROGRAM_TYPES = ['buddy', 'language', 'mentorship', 'upskilling'] as const;
export const PROGRAM_ENROLLMENT_STATUSES = ['active', 'completed', 'dropped'] as const;
export const SESSION_TYPES = ['language', 'mentorship'] as const;
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export const BUDDY_MATCH_STATUSES = ['active', 'inactive', 'ended'] as const;
export const OUTCOME_TEXT_TYPES = ['buddy_feedback', 'kintell_feedback', 'checkin_note'] as const;
export const OUTCOME_DIMENSIONS = ['confidence', 'belonging', 'lang_level_proxy', 'job_readiness', 'well_being'] as const;
export const INVESTMENT_TYPES = ['cash', 'in_kind', 'volunteer_hours'] as const;
export const VALUE_MAP_STATUSES = ['draft', 'active', 'retired'] as const;
export const PERIOD_TYPES = ['month', 'quarter', 'year'] as const;
export const TRAINING_DELIVERY_MODES = ['in_person', 'online', 'blended'] as const;

/** Postgres enum type name → the values above, for the drift check. */
export const VIEW_SOURCES = ['search', 'saved', 'recommendation', 'talent_pool', 'direct'] as const;
export const SEARCH_AUDIENCES = ['candidates', 'opportunities'] as const;

export const PG_ENUMS: Readonly<Record<string, readonly string[]>> = {
  user_type_enum: USER_TYPES,
  user_status_enum: USER_STATUSES,
  beneficiary_category_enum: BENEFICIARY_CATEGORIES,
  education_level_enum: EDUCATION_LEVELS,
  opportunity_type_enum: OPPORTUNITY_TYPES,
  permission_action_enum: PERMISSION_ACTIONS,
  application_status_enum: APPLICATION_STATUSES,
  candidate_type_enum: CANDIDATE_TYPES,
  organization_type_enum: ORGANIZATION_TYPES,
  organization_member_role_enum: ORGANIZATION_MEMBER_ROLES,
  mobility_enum: MOBILITIES,
  seniority_enum: SENIORITIES,
  contract_type_enum: CONTRACT_TYPES,
  remote_option_enum: REMOTE_OPTIONS,
  opportunity_status_enum: OPPORTUNITY_STATUSES,
  skill_requirement_enum: SKILL_REQUIREMENTS,
  skill_source_enum: SKILL_SOURCES,
  recommendation_status_enum: RECOMMENDATION_STATUSES,
  consent_type_enum: CONSENT_TYPES,
  model_status_enum: MODEL_STATUSES,
  profile_visibility_enum: PROFILE_VISIBILITIES,
  verification_status_enum: VERIFICATION_STATUSES,
  org_verification_status_enum: ORG_VERIFICATION_STATUSES,
  org_status_enum: ORG_STATUSES,
  company_size_enum: COMPANY_SIZES,
  subscription_tier_enum: SUBSCRIPTION_TIERS,
  proficiency_level_enum: PROFICIENCY_LEVELS,
  employment_type_enum: EMPLOYMENT_TYPES,
  degree_type_enum: DEGREE_TYPES,
  introduction_status_enum: INTRODUCTION_STATUSES,
  introduction_outcome_enum: INTRODUCTION_OUTCOMES,
  pool_visibility_enum: POOL_VISIBILITIES,
  view_source_enum: VIEW_SOURCES,
  search_audience_enum: SEARCH_AUDIENCES,
  cohort_program_type_enum: COHORT_PROGRAM_TYPES,
  cohort_state_enum: COHORT_STATES,
  enrollment_state_enum: ENROLLMENT_STATES,
  document_verification_state_enum: DOCUMENT_VERIFICATION_STATES,
  verification_action_enum: VERIFICATION_ACTIONS,
  program_type_enum: PROGRAM_TYPES,
  program_enrollment_status_enum: PROGRAM_ENROLLMENT_STATUSES,
  session_type_enum: SESSION_TYPES,
  cefr_level_enum: CEFR_LEVELS,
  buddy_match_status_enum: BUDDY_MATCH_STATUSES,
  outcome_text_type_enum: OUTCOME_TEXT_TYPES,
  outcome_dimension_enum: OUTCOME_DIMENSIONS,
  investment_type_enum: INVESTMENT_TYPES,
  value_map_status_enum: VALUE_MAP_STATUSES,
  period_type_enum: PERIOD_TYPES,
  training_delivery_enum: TRAINING_DELIVERY_MODES,
};

export type UserType = (typeof USER_TYPES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];
export type BeneficiaryCategory = (typeof BENEFICIARY_CATEGORIES)[number];
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export type CandidateType = (typeof CANDIDATE_TYPES)[number];
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];
export type OrganizationMemberRole = (typeof ORGANIZATION_MEMBER_ROLES)[number];
export type Mobility = (typeof MOBILITIES)[number];
export type Seniority = (typeof SENIORITIES)[number];
export type ContractType = (typeof CONTRACT_TYPES)[number];
export type RemoteOption = (typeof REMOTE_OPTIONS)[number];
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];
export type SkillRequirement = (typeof SKILL_REQUIREMENTS)[number];
export type SkillSource = (typeof SKILL_SOURCES)[number];
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];
export type ConsentType = (typeof CONSENT_TYPES)[number];
export type ModelStatus = (typeof MODEL_STATUSES)[number];
export type ProfileVisibility = (typeof PROFILE_VISIBILITIES)[number];
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
export type OrgVerificationStatus = (typeof ORG_VERIFICATION_STATUSES)[number];
export type OrgStatus = (typeof ORG_STATUSES)[number];
export type CompanySize = (typeof COMPANY_SIZES)[number];
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];
export type ProficiencyLevel = (typeof PROFICIENCY_LEVELS)[number];
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export type DegreeType = (typeof DEGREE_TYPES)[number];
export type IntroductionStatus = (typeof INTRODUCTION_STATUSES)[number];
export type IntroductionOutcome = (typeof INTRODUCTION_OUTCOMES)[number];
export type PoolVisibility = (typeof POOL_VISIBILITIES)[number];
export type CohortProgramType = (typeof COHORT_PROGRAM_TYPES)[number];
export type CohortState = (typeof COHORT_STATES)[number];
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export type DocumentVerificationState = (typeof DOCUMENT_VERIFICATION_STATES)[number];
export type VerificationAction = (typeof VERIFICATION_ACTIONS)[number];
export type ProgramType = (typeof PROGRAM_TYPES)[number];
export type ProgramEnrollmentStatus = (typeof PROGRAM_ENROLLMENT_STATUSES)[number];
export type SessionType = (typeof SESSION_TYPES)[number];
export type CefrLevel = (typeof CEFR_LEVELS)[number];
export type BuddyMatchStatus = (typeof BUDDY_MATCH_STATUSES)[number];
export type OutcomeTextType = (typeof OUTCOME_TEXT_TYPES)[number];
export type OutcomeDimension = (typeof OUTCOME_DIMENSIONS)[number];
export type InvestmentType = (typeof INVESTMENT_TYPES)[number];
export type ValueMapStatus = (typeof VALUE_MAP_STATUSES)[number];
export type PeriodType = (typeof PERIOD_TYPES)[number];
export type TrainingDeliveryMode = (typeof TRAINING_DELIVERY_MODES)[number];
