/**
 * The canonical schema (DESIGN §3): one model for the five seed systems (OIM, MiddleOrbit,
 * learnership cohorts, TEEI, theNexus). Seed column names are kept where they exist; seed
 * enums are Postgres enums (OIM's upper-case values as the seed spells them, the others
 * lower-case as theirs do), extended where another seed adds values.
 *
 * Frozen history: this file imports only knex. After the tables exist, two generic passes
 * add an index on every foreign key that lacks one and an updated_at trigger on every table
 * that has the column, so neither can be forgotten table by table.
 */
import type { Knex } from 'knex';

const ENUMS: Record<string, string[]> = {
  // OIM
  user_type_enum: ['BENEFICIARY', 'EXPERT', 'GOVERNMENT_PARTNER', 'NGO_PARTNER', 'PRIVATE_SECTOR', 'ADMINISTRATOR',
    // theNexus, TEEI, MiddleOrbit and the learnership seed add these account kinds.
    'PROFESSIONAL', 'HR_PARTNER', 'EMPLOYER', 'COMPANY_USER', 'PARTICIPANT', 'VOLUNTEER', 'STUDENT', 'INSTITUTION_ADMIN', 'SPONSOR_CONTACT'],
  user_status_enum: ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'PENDING_VERIFICATION', 'DELETED'],
  beneficiary_category_enum: ['RETURNING_MIGRANT', 'IDP', 'FORMER_ARMED_GROUP_MEMBER', 'AFFECTED_COMMUNITY', 'CROSS_BORDER_TRADER', 'DIASPORA_MEMBER'],
  education_level_enum: ['NO_FORMAL_EDUCATION', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'],
  opportunity_type_enum: ['PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'INTERNSHIP', 'APPRENTICESHIP', 'ENTREPRENEURSHIP',
    'VOCATIONAL_TRAINING', 'PROFESSIONAL_CERTIFICATION', 'BUSINESS_GRANT', 'MICRO_CREDIT'],
  permission_action_enum: ['CREATE', 'READ', 'UPDATE', 'DELETE', 'PUBLISH', 'APPROVE', 'REJECT', 'REVIEW', 'EXPORT', 'IMPORT', 'MANAGE'],
  // OIM's six states plus MiddleOrbit's hiring funnel (shortlist → interview → offer → hired).
  application_status_enum: ['DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'SHORTLISTED', 'INTERVIEW', 'OFFERED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN', 'HIRED'],
  // Canonical additions
  candidate_type_enum: ['beneficiary', 'job_seeker', 'professional', 'student', 'participant'],
  organization_type_enum: ['employer', 'ngo', 'government', 'private_sector', 'training_provider', 'institution', 'sponsor', 'csr_company'],
  organization_member_role_enum: ['owner', 'admin', 'member', 'recruiter', 'analyst', 'viewer'],
  mobility_enum: ['local', 'regional', 'national', 'international'],
  seniority_enum: ['entry', 'junior', 'mid', 'senior', 'lead', 'director', 'vp', 'c_suite', 'executive'],
  contract_type_enum: ['full_time', 'part_time', 'contract', 'consulting', 'temporary', 'internship', 'apprenticeship', 'self_employed'],
  remote_option_enum: ['on_site', 'hybrid', 'remote'],
  opportunity_status_enum: ['draft', 'active', 'paused', 'filled', 'closed', 'expired'],
  skill_requirement_enum: ['required', 'preferred'],
  skill_source_enum: ['declared', 'inferred'],
  recommendation_status_enum: ['generated', 'viewed', 'clicked', 'applied', 'dismissed', 'abandoned'],
  consent_type_enum: ['data_processing', 'profile_search', 'matching', 'data_sharing', 'marketing', 'research'],
  data_source_type_enum: ['job_site', 'partner_feed', 'training_catalogue', 'government_registry', 'api', 'manual'],
  model_status_enum: ['training', 'candidate', 'active', 'retired', 'failed'],
  // theNexus
  profile_visibility_enum: ['private', 'network', 'public'],
  verification_status_enum: ['unverified', 'basic', 'full', 'premium'],
  org_verification_status_enum: ['pending', 'verified', 'premium'],
  org_status_enum: ['active', 'suspended', 'inactive'],
  company_size_enum: ['1-10', '11-50', '51-200', '201-500', '500+'],
  subscription_tier_enum: ['trial', 'basic', 'professional', 'enterprise'],
  proficiency_level_enum: ['beginner', 'intermediate', 'advanced', 'expert'],
  employment_type_enum: ['full_time', 'part_time', 'contract', 'consulting', 'self_employed', 'informal', 'internship', 'volunteer'],
  degree_type_enum: ['primary', 'secondary', 'vocational_certificate', 'diploma', 'associate', 'bachelor', 'master', 'phd', 'other'],
  reference_status_enum: ['pending', 'contacted', 'verified'],
  introduction_status_enum: ['pending', 'accepted', 'declined', 'expired', 'withdrawn'],
  introduction_outcome_enum: ['hired', 'rejected', 'withdrew', 'no_response'],
  view_source_enum: ['search', 'saved', 'recommendation', 'talent_pool', 'direct'],
  search_audience_enum: ['candidates', 'opportunities'],
  notification_type_enum: ['intro_request', 'intro_accepted', 'intro_declined', 'message', 'profile_viewed', 'new_match', 'application_update', 'recommendation', 'system'],
  notification_channel_enum: ['in_app', 'email', 'whatsapp', 'sms', 'push'],
  notification_status_enum: ['pending', 'sent', 'delivered', 'failed'],
  subscription_status_enum: ['trial', 'active', 'past_due', 'cancelled', 'expired'],
  billing_cycle_enum: ['monthly', 'annual'],
  payment_method_enum: ['bank_transfer', 'card', 'paystack', 'flutterwave', 'mobile_money'],
  payment_status_enum: ['pending', 'successful', 'failed', 'refunded'],
  support_level_enum: ['basic', 'standard', 'priority'],
  referral_status_enum: ['pending', 'qualified', 'paid', 'rejected'],
  pool_visibility_enum: ['private', 'organization'],
  // Learnership cohorts
  cohort_program_type_enum: ['learnership', 'internship', 'candidacy'],
  cohort_state_enum: ['draft', 'active', 'completed', 'cancelled'],
  enrollment_state_enum: ['waiting', 'in_progress', 'complete'],
  document_verification_state_enum: ['pending', 'verified', 'rejected'],
  verification_action_enum: ['approved', 'rejected'],
  // TEEI
  program_type_enum: ['buddy', 'language', 'mentorship', 'upskilling'],
  program_enrollment_status_enum: ['active', 'completed', 'dropped'],
  session_type_enum: ['language', 'mentorship'],
  cefr_level_enum: ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'],
  buddy_match_status_enum: ['active', 'inactive', 'ended'],
  buddy_event_type_enum: ['hangout', 'activity', 'workshop'],
  mood_enum: ['great', 'good', 'okay', 'struggling', 'difficult'],
  feedback_role_enum: ['participant', 'buddy'],
  learning_status_enum: ['enrolled', 'in_progress', 'completed', 'dropped'],
  outcome_text_type_enum: ['buddy_feedback', 'kintell_feedback', 'checkin_note'],
  outcome_dimension_enum: ['confidence', 'belonging', 'lang_level_proxy', 'job_readiness', 'well_being'],
  investment_type_enum: ['cash', 'in_kind', 'volunteer_hours'],
  value_map_status_enum: ['draft', 'active', 'retired'],
  period_type_enum: ['month', 'quarter', 'year'],
  safety_content_type_enum: ['feedback_text', 'checkin_note', 'message'],
  safety_flag_reason_enum: ['profanity', 'pii_leakage', 'hate_speech'],
  safety_review_status_enum: ['pending', 'approved', 'rejected', 'escalated'],
  severity_enum: ['low', 'medium', 'high', 'critical'],
  http_method_enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  training_delivery_enum: ['in_person', 'online', 'blended'],
};

type Builder = Knex.CreateTableBuilder;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS citext');
  for (const [name, values] of Object.entries(ENUMS)) {
    // DDL takes no bind parameters; the values are constants of this file.
    await knex.raw(`CREATE TYPE ${name} AS ENUM (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`);
  }
  await knex.raw(`
    CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Keep an explicitly supplied value (backfills, imports); stamp everything else.
      IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
      END IF;
      RETURN NEW;
    END $$`);

  const id = (t: Builder) => t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
  const stamps = (t: Builder) => {
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  };
  const created = (t: Builder) => t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  const ref = (t: Builder, column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'RESTRICT') =>
    t.uuid(column).references('id').inTable(table).onDelete(onDelete);
  const enumCol = (t: Builder, column: string, type: string) => t.specificType(column, type);
  const unitInterval = (table: string, column: string) =>
    knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (?? >= 0 AND ?? <= 1)`, [table, `${table}_${column}_0_1`, column, column]);
  const percent = (table: string, column: string) =>
    knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (?? >= 0 AND ?? <= 100)`, [table, `${table}_${column}_0_100`, column, column]);
  const check = (table: string, name: string, expression: string) =>
    // A literal "?" (regex quantifiers) must be escaped, or knex reads it as a binding.
    knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (${expression.replace(/\?/g, '\\?')})`, [table, `${table}_${name}`]);

  // ---------------------------------------------------------------- identity and access
  await knex.schema.createTable('locations', (t) => {
    id(t);
    t.string('name', 200);
    t.specificType('country', 'char(2)').notNullable();
    t.string('region', 120).notNullable();
    t.string('city', 120).notNullable();
    t.string('postal_code', 20);
    t.text('address');
    t.decimal('latitude', 9, 6).notNullable();
    t.decimal('longitude', 9, 6).notNullable();
    stamps(t);
    t.index(['country', 'region', 'city']);
  });
  await check('locations', 'latitude_range', 'latitude BETWEEN -90 AND 90');
  await check('locations', 'longitude_range', 'longitude BETWEEN -180 AND 180');
  await check('locations', 'country_code', "country ~ '^[A-Z]{2}$'");

  await knex.schema.createTable('users', (t) => {
    id(t);
    t.specificType('email', 'citext').notNullable().unique();
    t.string('phone', 32).unique();
    t.string('first_name', 160).notNullable();
    t.string('last_name', 160).notNullable();
    t.string('preferred_name', 160);
    enumCol(t, 'user_type', 'user_type_enum').notNullable();
    enumCol(t, 'status', 'user_status_enum').notNullable().defaultTo('PENDING_VERIFICATION');
    t.string('preferred_language', 8).notNullable().defaultTo('en');
    t.boolean('email_verified').notNullable().defaultTo(false);
    t.boolean('phone_verified').notNullable().defaultTo(false);
    t.boolean('two_factor_enabled').notNullable().defaultTo(false);
    t.string('auth_provider', 40).notNullable().defaultTo('password');
    t.integer('profile_completion_pct').notNullable().defaultTo(0);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('last_active_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
    // Set when a person exercises erasure: personal fields are blanked and the row is kept
    // only so that aggregates and foreign keys stay valid.
    t.timestamp('erased_at', { useTz: true });
    stamps(t);
    t.index(['user_type', 'created_at']);
    t.index(['status']);
  });
  await percent('users', 'profile_completion_pct');
  await check('users', 'preferred_language', "preferred_language ~ '^[a-z]{2}(-[A-Z]{2})?$'");

  await knex.schema.createTable('roles', (t) => {
    id(t);
    t.string('name', 80).notNullable().unique();
    t.string('display_name', 160).notNullable();
    t.text('description');
    t.boolean('is_system_role').notNullable().defaultTo(false);
    stamps(t);
  });
  await knex.schema.createTable('permissions', (t) => {
    id(t);
    t.string('name', 120).notNullable().unique();
    t.string('resource', 80).notNullable();
    enumCol(t, 'action', 'permission_action_enum').notNullable();
    t.text('description');
    stamps(t);
    t.unique(['resource', 'action']);
  });
  await knex.schema.createTable('role_permissions', (t) => {
    ref(t, 'role_id', 'roles', 'CASCADE').notNullable();
    ref(t, 'permission_id', 'permissions', 'CASCADE').notNullable();
    created(t);
    t.primary(['role_id', 'permission_id']);
  });
  await knex.schema.createTable('user_roles', (t) => {
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'role_id', 'roles', 'CASCADE').notNullable();
    ref(t, 'assigned_by', 'users', 'SET NULL');
    created(t);
    t.primary(['user_id', 'role_id']);
  });
  await knex.schema.createTable('user_permissions', (t) => {
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'permission_id', 'permissions', 'CASCADE').notNullable();
    ref(t, 'granted_by', 'users', 'SET NULL');
    t.timestamp('expires_at', { useTz: true });
    created(t);
    t.primary(['user_id', 'permission_id']);
  });

  await knex.schema.createTable('industries', (t) => {
    id(t);
    t.string('industry_name', 100).notNullable().unique();
    t.string('industry_slug', 100).notNullable().unique();
    t.text('description');
    t.boolean('is_active').notNullable().defaultTo(true);
    t.integer('sort_order').notNullable().defaultTo(0);
    stamps(t);
  });

  await knex.schema.createTable('organizations', (t) => {
    id(t);
    t.string('name', 200).notNullable().unique();
    enumCol(t, 'type', 'organization_type_enum').notNullable();
    t.string('industry', 100);
    ref(t, 'industry_id', 'industries', 'SET NULL');
    enumCol(t, 'company_size', 'company_size_enum');
    ref(t, 'location_id', 'locations', 'SET NULL');
    t.specificType('country', 'char(2)');
    t.string('website', 255);
    t.text('description');
    t.string('registration_number', 80);
    t.string('tax_number', 80);
    t.string('contact_email', 255);
    t.string('contact_phone', 32);
    t.boolean('verified').notNullable().defaultTo(false);
    enumCol(t, 'verification_status', 'org_verification_status_enum').notNullable().defaultTo('pending');
    t.timestamp('verification_date', { useTz: true });
    enumCol(t, 'status', 'org_status_enum').notNullable().defaultTo('active');
    enumCol(t, 'subscription_tier', 'subscription_tier_enum');
    t.timestamp('subscription_expires_at', { useTz: true });
    t.integer('introduction_credits').notNullable().defaultTo(0);
    t.jsonb('settings').notNullable().defaultTo('{}');
    stamps(t);
    t.index(['type']);
  });
  await check('organizations', 'introduction_credits', 'introduction_credits >= 0');

  await knex.schema.createTable('organization_members', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    enumCol(t, 'role', 'organization_member_role_enum').notNullable().defaultTo('member');
    t.string('job_title', 150);
    t.string('department', 100);
    t.boolean('can_search').notNullable().defaultTo(true);
    t.boolean('can_send_introductions').notNullable().defaultTo(true);
    t.boolean('can_create_roles').notNullable().defaultTo(true);
    t.boolean('can_manage_billing').notNullable().defaultTo(false);
    t.string('status', 20).notNullable().defaultTo('active');
    t.timestamp('joined_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_active_at', { useTz: true });
    stamps(t);
    t.unique(['organization_id', 'user_id']);
  });
  await check('organization_members', 'status', "status IN ('active', 'inactive')");

  await knex.schema.createTable('consent_records', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    enumCol(t, 'consent_type', 'consent_type_enum').notNullable();
    t.boolean('granted').notNullable();
    t.string('policy_version', 20).notNullable().defaultTo('1.0');
    t.string('source', 40).notNullable().defaultTo('app');
    t.timestamp('granted_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    stamps(t);
    // One current decision per person and purpose; history is in audit_logs.
    t.unique(['user_id', 'consent_type']);
  });

  // ---------------------------------------------------------------- taxonomy and sources
  await knex.schema.createTable('skills', (t) => {
    id(t);
    t.string('slug', 100).notNullable().unique();
    t.string('skill_name', 100).notNullable().unique();
    t.string('skill_name_fr', 100);
    t.string('skill_category', 50).notNullable();
    ref(t, 'parent_skill_id', 'skills', 'SET NULL');
    t.jsonb('synonyms').notNullable().defaultTo('[]');
    t.integer('usage_count').notNullable().defaultTo(0);
    t.boolean('is_active').notNullable().defaultTo(true);
    stamps(t);
  });
  await check('skills', 'synonyms_array', "jsonb_typeof(synonyms) = 'array'");
  await check('skills', 'slug_format', "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'");

  await knex.schema.createTable('data_sources', (t) => {
    id(t);
    t.string('name', 160).notNullable().unique();
    enumCol(t, 'type', 'data_source_type_enum').notNullable();
    t.string('url', 500);
    t.specificType('country', 'char(2)');
    t.boolean('is_active').notNullable().defaultTo(true);
    t.jsonb('config').notNullable().defaultTo('{}');
    t.timestamp('last_synced_at', { useTz: true });
    stamps(t);
  });

  await knex.schema.createTable('ml_model_versions', (t) => {
    id(t);
    t.string('model_name', 80).notNullable();
    t.string('version', 40).notNullable();
    t.string('model_type', 40).notNullable();
    enumCol(t, 'status', 'model_status_enum').notNullable().defaultTo('training');
    t.jsonb('parameters').notNullable().defaultTo('{}');
    t.jsonb('training_data').notNullable().defaultTo('{}');
    t.jsonb('metrics').notNullable().defaultTo('{}');
    t.string('checksum', 128);
    t.string('artifact_path', 500);
    t.timestamp('trained_at', { useTz: true });
    t.timestamp('activated_at', { useTz: true });
    stamps(t);
    t.unique(['model_name', 'version']);
  });
  await knex.raw("CREATE UNIQUE INDEX ml_model_versions_one_active ON ml_model_versions (model_name) WHERE status = 'active'");

  // ---------------------------------------------------------------- candidates
  await knex.schema.createTable('candidates', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable().unique();
    enumCol(t, 'candidate_type', 'candidate_type_enum').notNullable();
    enumCol(t, 'category', 'beneficiary_category_enum');
    enumCol(t, 'education_level', 'education_level_enum');
    t.integer('years_experience').notNullable().defaultTo(0);
    t.string('headline', 200);
    t.text('summary');
    t.string('current_title', 150);
    t.string('current_company', 150);
    // The employer a confidential search must stay hidden from, when it is on the platform.
    ref(t, 'current_organization_id', 'organizations', 'SET NULL');
    t.string('current_industry', 100);
    ref(t, 'location_id', 'locations', 'SET NULL');
    enumCol(t, 'mobility', 'mobility_enum').notNullable().defaultTo('local');
    t.boolean('willing_to_relocate').notNullable().defaultTo(false);
    t.decimal('available_capital', 14, 2);
    t.decimal('salary_expectation_min', 14, 2);
    t.decimal('salary_expectation_max', 14, 2);
    t.specificType('salary_currency', 'char(3)');
    t.integer('notice_period_days').notNullable().defaultTo(30);
    t.boolean('open_to_opportunities').notNullable().defaultTo(true);
    t.boolean('confidential_search').notNullable().defaultTo(false);
    enumCol(t, 'profile_visibility', 'profile_visibility_enum').notNullable().defaultTo('private');
    enumCol(t, 'verification_status', 'verification_status_enum').notNullable().defaultTo('unverified');
    t.timestamp('verification_date', { useTz: true });
    t.integer('profile_completeness').notNullable().defaultTo(0);
    t.boolean('onboarding_completed').notNullable().defaultTo(false);
    t.string('linkedin_url', 255);
    t.string('portfolio_url', 255);
    t.string('resume_url', 500);
    t.string('video_resume_url', 500);
    t.jsonb('badges').notNullable().defaultTo('[]');
    t.string('training_status', 40);
    t.timestamp('last_active_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    stamps(t);
    t.index(['candidate_type', 'category']);
    t.index(['profile_visibility']);
    t.index(['verification_status']);
  });
  await percent('candidates', 'profile_completeness');
  await check('candidates', 'years_experience', 'years_experience >= 0 AND years_experience <= 70');
  // theNexus admits senior professionals only (its professionals.years_of_experience >= 5).
  await check('candidates', 'professional_seniority', "candidate_type <> 'professional' OR years_experience >= 5");
  await check('candidates', 'category_for_beneficiaries', "category IS NULL OR candidate_type = 'beneficiary'");
  await check('candidates', 'salary_range', 'salary_expectation_min IS NULL OR salary_expectation_max IS NULL OR salary_expectation_min <= salary_expectation_max');
  await check('candidates', 'salary_nonnegative', 'coalesce(salary_expectation_min, 0) >= 0 AND coalesce(available_capital, 0) >= 0');
  await check('candidates', 'notice_period', 'notice_period_days BETWEEN 0 AND 365');
  await check('candidates', 'salary_currency', "salary_currency IS NULL OR salary_currency ~ '^[A-Z]{3}$'");

  await knex.schema.createTable('candidate_skills', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'skill_id', 'skills', 'RESTRICT').notNullable();
    enumCol(t, 'proficiency_level', 'proficiency_level_enum').notNullable().defaultTo('intermediate');
    t.integer('years_of_experience');
    t.boolean('is_primary_skill').notNullable().defaultTo(false);
    enumCol(t, 'source', 'skill_source_enum').notNullable().defaultTo('declared');
    // For inferred skills: how sure the inference is.
    t.decimal('confidence', 4, 3);
    t.integer('endorsement_count').notNullable().defaultTo(0);
    stamps(t);
    t.unique(['candidate_id', 'skill_id']);
  });
  await unitInterval('candidate_skills', 'confidence');
  await check('candidate_skills', 'years', 'years_of_experience IS NULL OR years_of_experience BETWEEN 0 AND 60');
  await check('candidate_skills', 'inferred_confidence', "source = 'declared' OR confidence IS NOT NULL");

  await knex.schema.createTable('candidate_experience', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'organization_id', 'organizations', 'SET NULL');
    t.string('company_name', 150).notNullable();
    t.string('job_title', 150).notNullable();
    t.string('industry', 100);
    t.string('location', 100);
    enumCol(t, 'employment_type', 'employment_type_enum').notNullable();
    t.date('start_date').notNullable();
    t.date('end_date');
    t.boolean('is_current').notNullable().defaultTo(false);
    t.text('description');
    t.jsonb('achievements');
    t.integer('team_size');
    t.integer('sort_order').notNullable().defaultTo(0);
    stamps(t);
  });
  await check('candidate_experience', 'dates', 'end_date IS NULL OR end_date >= start_date');
  await check('candidate_experience', 'current_has_no_end', 'NOT is_current OR end_date IS NULL');

  await knex.schema.createTable('candidate_education', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    t.string('institution_name', 200).notNullable();
    enumCol(t, 'degree_type', 'degree_type_enum').notNullable();
    enumCol(t, 'education_level', 'education_level_enum');
    t.string('field_of_study', 150).notNullable();
    t.integer('start_year').notNullable();
    t.integer('end_year');
    t.string('grade', 50);
    t.boolean('is_verified').notNullable().defaultTo(false);
    t.integer('sort_order').notNullable().defaultTo(0);
    stamps(t);
  });
  await check('candidate_education', 'years', 'start_year BETWEEN 1940 AND 2100 AND (end_year IS NULL OR end_year >= start_year)');

  await knex.schema.createTable('candidate_certifications', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    t.string('certification_name', 200).notNullable();
    t.string('issuing_organization', 200).notNullable();
    t.date('issue_date').notNullable();
    t.date('expiry_date');
    t.string('credential_id', 100);
    t.string('credential_url', 500);
    t.boolean('is_verified').notNullable().defaultTo(false);
    stamps(t);
  });
  await check('candidate_certifications', 'dates', 'expiry_date IS NULL OR expiry_date >= issue_date');

  await knex.schema.createTable('candidate_languages', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    t.string('language_code', 8).notNullable();
    enumCol(t, 'cefr_level', 'cefr_level_enum').notNullable();
    t.boolean('is_native').notNullable().defaultTo(false);
    stamps(t);
    t.unique(['candidate_id', 'language_code']);
  });
  await check('candidate_languages', 'language_code', "language_code ~ '^[a-z]{2,3}$'");

  await knex.schema.createTable('candidate_references', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    t.string('reference_name', 150).notNullable();
    t.string('reference_email', 255).notNullable();
    t.string('reference_phone', 32);
    t.string('reference_company', 150);
    t.string('reference_title', 150);
    t.string('relationship', 100).notNullable();
    enumCol(t, 'verification_status', 'reference_status_enum').notNullable().defaultTo('pending');
    t.timestamp('verification_date', { useTz: true });
    t.text('verification_notes');
    t.boolean('permission_granted').notNullable().defaultTo(false);
    stamps(t);
  });

  // ---------------------------------------------------------------- opportunities and training
  await knex.schema.createTable('opportunities', (t) => {
    id(t);
    enumCol(t, 'type', 'opportunity_type_enum').notNullable();
    t.string('title', 200).notNullable();
    t.text('description').notNullable();
    t.text('responsibilities');
    t.text('requirements');
    t.text('benefits');
    t.string('language', 8).notNullable().defaultTo('en');
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'created_by_user_id', 'users', 'SET NULL');
    ref(t, 'location_id', 'locations', 'SET NULL');
    enumCol(t, 'remote_option', 'remote_option_enum').notNullable().defaultTo('on_site');
    t.string('sector', 60);
    enumCol(t, 'seniority', 'seniority_enum');
    t.decimal('salary_min', 14, 2);
    t.decimal('salary_max', 14, 2);
    t.specificType('salary_currency', 'char(3)');
    enumCol(t, 'contract_type', 'contract_type_enum');
    t.integer('duration_months');
    enumCol(t, 'required_education', 'education_level_enum');
    t.integer('experience_min_years');
    t.integer('experience_max_years');
    t.decimal('investment_required', 14, 2);
    t.decimal('amount', 14, 2);
    t.boolean('is_for_vulnerable').notNullable().defaultTo(false);
    t.specificType('eligible_categories', 'beneficiary_category_enum[]').notNullable().defaultTo('{}');
    t.boolean('is_confidential').notNullable().defaultTo(false);
    t.text('confidential_reason');
    enumCol(t, 'status', 'opportunity_status_enum').notNullable().defaultTo('draft');
    t.date('application_deadline');
    t.date('expected_start_date');
    t.string('external_url', 500);
    ref(t, 'source_id', 'data_sources', 'SET NULL');
    t.string('source', 60).notNullable().defaultTo('platform');
    t.string('seo_slug', 220).unique();
    t.integer('view_count').notNullable().defaultTo(0);
    t.integer('introduction_count').notNullable().defaultTo(0);
    t.timestamp('published_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    stamps(t);
    t.index(['status', 'type']);
    t.index(['published_at']);
  });
  await check('opportunities', 'salary_range', 'salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max');
  await check('opportunities', 'amounts_nonnegative', 'coalesce(salary_min, 0) >= 0 AND coalesce(investment_required, 0) >= 0 AND coalesce(amount, 0) >= 0');
  await check('opportunities', 'experience_range', 'experience_min_years IS NULL OR experience_max_years IS NULL OR experience_min_years <= experience_max_years');
  await check('opportunities', 'duration', 'duration_months IS NULL OR duration_months > 0');
  await check('opportunities', 'published_when_active', "status <> 'active' OR published_at IS NOT NULL");
  await check('opportunities', 'salary_currency', "salary_currency IS NULL OR salary_currency ~ '^[A-Z]{3}$'");

  await knex.schema.createTable('opportunity_skills', (t) => {
    id(t);
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE').notNullable();
    ref(t, 'skill_id', 'skills', 'RESTRICT').notNullable();
    enumCol(t, 'requirement', 'skill_requirement_enum').notNullable().defaultTo('required');
    enumCol(t, 'min_proficiency', 'proficiency_level_enum');
    t.integer('min_years');
    stamps(t);
    t.unique(['opportunity_id', 'skill_id']);
  });

  await knex.schema.createTable('training_programs', (t) => {
    id(t);
    ref(t, 'provider_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'location_id', 'locations', 'SET NULL');
    t.string('title', 200).notNullable();
    t.string('title_fr', 200);
    t.text('description');
    enumCol(t, 'delivery_mode', 'training_delivery_enum').notNullable().defaultTo('in_person');
    t.integer('duration_weeks');
    t.decimal('cost', 12, 2).notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)');
    t.integer('capacity');
    t.boolean('is_for_vulnerable').notNullable().defaultTo(false);
    t.specificType('eligible_categories', 'beneficiary_category_enum[]').notNullable().defaultTo('{}');
    enumCol(t, 'status', 'opportunity_status_enum').notNullable().defaultTo('active');
    t.date('start_date');
    stamps(t);
  });
  await check('training_programs', 'cost', 'cost >= 0');
  await knex.schema.createTable('training_program_skills', (t) => {
    ref(t, 'training_program_id', 'training_programs', 'CASCADE').notNullable();
    ref(t, 'skill_id', 'skills', 'RESTRICT').notNullable();
    created(t);
    t.primary(['training_program_id', 'skill_id']);
  });

  await knex.schema.createTable('cohorts', (t) => {
    id(t);
    ref(t, 'institution_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'sponsor_id', 'organizations', 'SET NULL');
    ref(t, 'training_program_id', 'training_programs', 'SET NULL');
    ref(t, 'created_by', 'users', 'SET NULL');
    t.string('name', 200).notNullable();
    enumCol(t, 'program_type', 'cohort_program_type_enum').notNullable();
    t.string('sponsor_email', 255);
    t.integer('student_count').notNullable().defaultTo(0);
    t.jsonb('supporting_templates').notNullable().defaultTo('[]');
    t.timestamp('admin_signed_at', { useTz: true });
    enumCol(t, 'state', 'cohort_state_enum').notNullable().defaultTo('draft');
    t.timestamp('start_date', { useTz: true });
    t.timestamp('end_date', { useTz: true });
    stamps(t);
    t.unique(['institution_id', 'name']);
  });
  await check('cohorts', 'dates', 'end_date IS NULL OR start_date IS NULL OR end_date >= start_date');
  await check('cohorts', 'student_count', 'student_count >= 0');

  await knex.schema.createTable('cohort_enrollments', (t) => {
    id(t);
    ref(t, 'cohort_id', 'cohorts', 'CASCADE').notNullable();
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    enumCol(t, 'state', 'enrollment_state_enum').notNullable().defaultTo('waiting');
    enumCol(t, 'document_verification_state', 'document_verification_state_enum').notNullable().defaultTo('pending');
    t.text('rejection_reason');
    t.jsonb('student_data').notNullable().defaultTo('{}');
    t.jsonb('uploaded_documents').notNullable().defaultTo('[]');
    stamps(t);
    t.unique(['cohort_id', 'user_id']);
    t.index(['state']);
  });
  await check('cohort_enrollments', 'rejection_has_reason', "document_verification_state <> 'rejected' OR rejection_reason IS NOT NULL");

  await knex.schema.createTable('document_verifications', (t) => {
    id(t);
    ref(t, 'cohort_enrollment_id', 'cohort_enrollments', 'CASCADE').notNullable();
    ref(t, 'admin_id', 'users', 'SET NULL');
    t.string('document_type', 60).notNullable();
    enumCol(t, 'action', 'verification_action_enum').notNullable();
    t.text('reason');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    created(t);
  });
  await check('document_verifications', 'rejection_has_reason', "action <> 'rejected' OR reason IS NOT NULL");

  // ---------------------------------------------------------------- matching and hiring
  await knex.schema.createTable('recommendations', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE').notNullable();
    t.decimal('match_score', 5, 4).notNullable();
    t.integer('rank');
    t.jsonb('chips').notNullable().defaultTo('[]');
    t.text('reason');
    t.string('model_version', 40).notNullable();
    enumCol(t, 'status', 'recommendation_status_enum').notNullable().defaultTo('generated');
    t.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('viewed_at', { useTz: true });
    t.boolean('clicked').notNullable().defaultTo(false);
    t.timestamp('clicked_at', { useTz: true });
    t.boolean('applied').notNullable().defaultTo(false);
    t.timestamp('applied_at', { useTz: true });
    t.timestamp('dismissed_at', { useTz: true });
    t.integer('feedback_rating');
    t.text('feedback_text');
    stamps(t);
    t.index(['candidate_id', 'generated_at']);
    t.index(['status']);
  });
  await unitInterval('recommendations', 'match_score');
  await check('recommendations', 'feedback_rating', 'feedback_rating IS NULL OR feedback_rating BETWEEN 1 AND 5');

  await knex.schema.createTable('applications', (t) => {
    id(t);
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE').notNullable();
    ref(t, 'recommendation_id', 'recommendations', 'SET NULL');
    enumCol(t, 'status', 'application_status_enum').notNullable().defaultTo('SUBMITTED');
    t.decimal('ai_fit_score', 5, 2);
    t.jsonb('explainability').notNullable().defaultTo('[]');
    t.jsonb('timeline').notNullable().defaultTo('[]');
    t.jsonb('interview_feedback');
    t.text('cover_letter');
    ref(t, 'reviewed_by', 'users', 'SET NULL');
    t.timestamp('reviewed_at', { useTz: true });
    t.timestamp('submitted_at', { useTz: true });
    stamps(t);
    t.unique(['candidate_id', 'opportunity_id']);
    t.index(['status']);
  });
  await percent('applications', 'ai_fit_score');

  await knex.schema.createTable('placements', (t) => {
    id(t);
    ref(t, 'application_id', 'applications', 'CASCADE').notNullable().unique();
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE').notNullable();
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    t.date('start_date').notNullable();
    t.date('end_date');
    t.decimal('salary', 14, 2);
    t.specificType('currency', 'char(3)');
    t.string('contract_url', 500);
    t.jsonb('transparency_timeline').notNullable().defaultTo('[]');
    t.jsonb('roi_metrics').notNullable().defaultTo('{}');
    stamps(t);
    t.index(['start_date']);
  });
  await check('placements', 'dates', 'end_date IS NULL OR end_date >= start_date');

  await knex.schema.createTable('introduction_requests', (t) => {
    id(t);
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE').notNullable();
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'sent_by_user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    t.text('personalized_message');
    enumCol(t, 'status', 'introduction_status_enum').notNullable().defaultTo('pending');
    t.text('professional_response');
    t.timestamp('response_date', { useTz: true });
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.boolean('viewed_by_professional').notNullable().defaultTo(false);
    t.timestamp('viewed_at', { useTz: true });
    t.boolean('conversation_started').notNullable().defaultTo(false);
    t.boolean('interview_scheduled').notNullable().defaultTo(false);
    enumCol(t, 'outcome', 'introduction_outcome_enum');
    t.timestamp('outcome_date', { useTz: true });
    t.text('outcome_notes');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    stamps(t);
    // theNexus: only one introduction request per job role and professional.
    t.unique(['opportunity_id', 'candidate_id']);
    t.index(['status']);
    t.index(['sent_at']);
  });
  await check('introduction_requests', 'expiry_after_send', 'expires_at > sent_at');
  await check('introduction_requests', 'response_when_answered', "status NOT IN ('accepted', 'declined') OR response_date IS NOT NULL");

  await knex.schema.createTable('talent_pools', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'owner_user_id', 'users', 'SET NULL');
    t.string('name', 160).notNullable();
    enumCol(t, 'visibility', 'pool_visibility_enum').notNullable().defaultTo('private');
    t.jsonb('config').notNullable().defaultTo('{}');
    t.jsonb('segments').notNullable().defaultTo('[]');
    t.jsonb('subscriptions').notNullable().defaultTo('[]');
    t.jsonb('query');
    t.timestamp('last_run_at', { useTz: true });
    stamps(t);
    t.unique(['organization_id', 'name']);
  });
  await knex.schema.createTable('talent_pool_members', (t) => {
    ref(t, 'talent_pool_id', 'talent_pools', 'CASCADE').notNullable();
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    ref(t, 'added_by', 'users', 'SET NULL');
    t.text('notes');
    t.jsonb('tags').notNullable().defaultTo('[]');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['talent_pool_id', 'candidate_id']);
  });

  await knex.schema.createTable('saved_searches', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'organization_id', 'organizations', 'CASCADE');
    t.string('name', 160).notNullable();
    enumCol(t, 'audience', 'search_audience_enum').notNullable();
    t.jsonb('query').notNullable();
    t.boolean('alerts_enabled').notNullable().defaultTo(false);
    t.timestamp('last_run_at', { useTz: true });
    t.integer('last_result_count');
    stamps(t);
    t.unique(['user_id', 'name']);
  });

  await knex.schema.createTable('favorites', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'CASCADE');
    ref(t, 'candidate_id', 'candidates', 'CASCADE');
    t.text('notes');
    t.jsonb('tags').notNullable().defaultTo('[]');
    created(t);
    t.unique(['user_id', 'opportunity_id']);
    t.unique(['user_id', 'candidate_id']);
  });
  await check('favorites', 'exactly_one_target', 'num_nonnulls(opportunity_id, candidate_id) = 1');

  await knex.schema.createTable('referrals', (t) => {
    id(t);
    ref(t, 'referrer_id', 'users', 'CASCADE').notNullable();
    ref(t, 'candidate_id', 'users', 'CASCADE').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'SET NULL');
    t.decimal('payout_amount', 10, 2).notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)');
    enumCol(t, 'status', 'referral_status_enum').notNullable().defaultTo('pending');
    t.jsonb('milestones').notNullable().defaultTo('[]');
    stamps(t);
  });
  await check('referrals', 'not_self', 'referrer_id <> candidate_id');
  await check('referrals', 'payout', 'payout_amount >= 0');

  // ---------------------------------------------------------------- activity and notifications
  await knex.schema.createTable('search_queries', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE');
    ref(t, 'organization_id', 'organizations', 'CASCADE');
    ref(t, 'opportunity_id', 'opportunities', 'SET NULL');
    enumCol(t, 'audience', 'search_audience_enum').notNullable();
    t.text('search_text');
    t.jsonb('filters').notNullable().defaultTo('{}');
    t.integer('results_count').notNullable().defaultTo(0);
    t.jsonb('clicked_ids').notNullable().defaultTo('[]');
    t.integer('search_duration_ms');
    t.timestamp('searched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['searched_at']);
  });
  await knex.schema.createTable('profile_views', (t) => {
    id(t);
    ref(t, 'viewer_user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'organization_id', 'organizations', 'CASCADE');
    ref(t, 'candidate_id', 'candidates', 'CASCADE').notNullable();
    enumCol(t, 'view_source', 'view_source_enum').notNullable();
    ref(t, 'opportunity_id', 'opportunities', 'SET NULL');
    t.integer('view_duration_seconds');
    t.timestamp('viewed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['viewed_at']);
  });
  await knex.schema.createTable('analytics_events', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'SET NULL');
    t.string('session_id', 80);
    t.string('event_type', 80).notNullable();
    t.string('entity_type', 50);
    t.uuid('entity_id');
    t.jsonb('properties').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['event_type', 'occurred_at']);
  });
  await knex.schema.createTable('notifications', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    enumCol(t, 'notification_type', 'notification_type_enum').notNullable();
    t.string('title', 200).notNullable();
    t.text('message').notNullable();
    t.string('related_entity_type', 50);
    t.uuid('related_entity_id');
    t.string('action_url', 500);
    enumCol(t, 'channel', 'notification_channel_enum').notNullable();
    enumCol(t, 'status', 'notification_status_enum').notNullable().defaultTo('pending');
    t.boolean('is_read').notNullable().defaultTo(false);
    t.timestamp('read_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    created(t);
    t.index(['created_at']);
  });
  await knex.schema.createTable('notification_preferences', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable().unique();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.decimal('min_match_score', 4, 3).notNullable().defaultTo(0.7);
    t.specificType('channels', 'notification_channel_enum[]').notNullable().defaultTo('{in_app}');
    t.specificType('opportunity_types', 'opportunity_type_enum[]').notNullable().defaultTo('{}');
    t.string('frequency', 20).notNullable().defaultTo('daily');
    stamps(t);
  });
  await unitInterval('notification_preferences', 'min_match_score');
  await check('notification_preferences', 'frequency', "frequency IN ('instant', 'daily', 'weekly', 'never')");

  // ---------------------------------------------------------------- CSR programmes (TEEI)
  await knex.schema.createTable('programs', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    t.string('name', 200).notNullable();
    enumCol(t, 'program_type', 'program_type_enum').notNullable();
    t.text('description');
    t.specificType('country', 'char(2)');
    t.date('start_date');
    t.date('end_date');
    t.string('status', 20).notNullable().defaultTo('active');
    stamps(t);
    t.unique(['organization_id', 'name']);
  });
  await check('programs', 'status', "status IN ('planned', 'active', 'completed', 'cancelled')");
  await check('programs', 'dates', 'end_date IS NULL OR start_date IS NULL OR end_date >= start_date');

  await knex.schema.createTable('program_enrollments', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'program_id', 'programs', 'CASCADE').notNullable();
    enumCol(t, 'program_type', 'program_type_enum').notNullable();
    t.timestamp('enrolled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    enumCol(t, 'status', 'program_enrollment_status_enum').notNullable().defaultTo('active');
    t.timestamp('completed_at', { useTz: true });
    stamps(t);
    t.unique(['program_id', 'user_id']);
  });
  await check('program_enrollments', 'completed_has_date', "status <> 'completed' OR completed_at IS NOT NULL");

  await knex.schema.createTable('sessions', (t) => {
    id(t);
    t.string('external_session_id', 120).unique();
    enumCol(t, 'session_type', 'session_type_enum').notNullable();
    ref(t, 'program_id', 'programs', 'CASCADE');
    ref(t, 'participant_id', 'users', 'CASCADE').notNullable();
    ref(t, 'volunteer_id', 'users', 'SET NULL');
    t.timestamp('scheduled_at', { useTz: true }).notNullable();
    t.timestamp('completed_at', { useTz: true });
    t.integer('duration_minutes');
    t.decimal('rating', 3, 2);
    t.text('feedback_text');
    enumCol(t, 'language_level', 'cefr_level_enum');
    t.jsonb('topics').notNullable().defaultTo('[]');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    stamps(t);
    t.index(['participant_id', 'completed_at']);
    t.index(['volunteer_id', 'completed_at']);
    t.index(['session_type', 'completed_at']);
  });
  await unitInterval('sessions', 'rating');
  await check('sessions', 'duration', 'duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440');

  await knex.schema.createTable('buddy_matches', (t) => {
    id(t);
    ref(t, 'program_id', 'programs', 'CASCADE');
    ref(t, 'participant_id', 'users', 'CASCADE').notNullable();
    ref(t, 'buddy_id', 'users', 'CASCADE').notNullable();
    t.timestamp('matched_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    enumCol(t, 'status', 'buddy_match_status_enum').notNullable().defaultTo('active');
    t.timestamp('ended_at', { useTz: true });
    stamps(t);
    t.index(['participant_id', 'status']);
    t.index(['buddy_id', 'status']);
  });
  await check('buddy_matches', 'not_self', 'participant_id <> buddy_id');
  await knex.schema.createTable('buddy_events', (t) => {
    id(t);
    ref(t, 'match_id', 'buddy_matches', 'CASCADE').notNullable();
    enumCol(t, 'event_type', 'buddy_event_type_enum').notNullable();
    t.timestamp('event_date', { useTz: true }).notNullable();
    t.integer('duration_minutes');
    t.text('description');
    t.string('location', 160);
    created(t);
    t.index(['match_id', 'event_date']);
  });
  await knex.schema.createTable('buddy_checkins', (t) => {
    id(t);
    ref(t, 'match_id', 'buddy_matches', 'CASCADE').notNullable();
    t.timestamp('checkin_date', { useTz: true }).notNullable();
    enumCol(t, 'mood', 'mood_enum').notNullable();
    t.text('notes');
    created(t);
    t.index(['match_id', 'checkin_date']);
  });
  await knex.schema.createTable('buddy_feedback', (t) => {
    id(t);
    ref(t, 'match_id', 'buddy_matches', 'CASCADE').notNullable();
    enumCol(t, 'from_role', 'feedback_role_enum').notNullable();
    t.decimal('rating', 3, 2).notNullable();
    t.text('feedback_text');
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    created(t);
    t.index(['match_id', 'submitted_at']);
  });
  await unitInterval('buddy_feedback', 'rating');

  await knex.schema.createTable('learning_progress', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'program_id', 'programs', 'SET NULL');
    t.string('provider', 60).notNullable();
    t.string('course_id', 80).notNullable();
    t.string('course_name', 200).notNullable();
    enumCol(t, 'status', 'learning_status_enum').notNullable().defaultTo('enrolled');
    t.integer('progress_percent').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.string('credential_ref', 200);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    stamps(t);
    t.unique(['user_id', 'provider', 'course_id']);
    t.index(['user_id', 'status']);
    t.index(['provider', 'status']);
  });
  await percent('learning_progress', 'progress_percent');
  await check('learning_progress', 'completed_is_100', "status <> 'completed' OR (progress_percent = 100 AND completed_at IS NOT NULL)");

  await knex.schema.createTable('outcome_scores', (t) => {
    id(t);
    t.uuid('text_id').notNullable();
    enumCol(t, 'text_type', 'outcome_text_type_enum').notNullable();
    // Whose outcome this is, so programme aggregates need not resolve the polymorphic text_id.
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    ref(t, 'program_id', 'programs', 'SET NULL');
    enumCol(t, 'dimension', 'outcome_dimension_enum').notNullable();
    t.decimal('score', 4, 3).notNullable();
    t.decimal('confidence', 4, 3).notNullable();
    t.string('model_version', 40).notNullable();
    t.timestamp('scored_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    created(t);
    t.index(['text_id', 'text_type']);
    t.index(['dimension', 'created_at']);
  });
  await unitInterval('outcome_scores', 'score');
  await unitInterval('outcome_scores', 'confidence');

  await knex.schema.createTable('evidence_snippets', (t) => {
    id(t);
    ref(t, 'outcome_score_id', 'outcome_scores', 'CASCADE').notNullable();
    t.text('snippet_text').notNullable();
    t.string('snippet_hash', 64).notNullable().unique();
    t.string('embedding_ref', 200);
    created(t);
  });
  await check('evidence_snippets', 'hash_format', "snippet_hash ~ '^[0-9a-f]{64}$'");

  await knex.schema.createTable('investments', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'program_id', 'programs', 'SET NULL');
    enumCol(t, 'investment_type', 'investment_type_enum').notNullable();
    t.decimal('amount', 14, 2);
    t.specificType('currency', 'char(3)');
    t.decimal('hours', 10, 2);
    t.decimal('hourly_value', 10, 2);
    t.text('description');
    t.date('invested_on').notNullable();
    stamps(t);
    t.index(['organization_id', 'invested_on']);
  });
  await check('investments', 'shape', `
    (investment_type IN ('cash', 'in_kind') AND amount IS NOT NULL AND amount >= 0 AND currency IS NOT NULL)
    OR (investment_type = 'volunteer_hours' AND hours IS NOT NULL AND hours >= 0)`);

  await knex.schema.createTable('sroi_value_maps', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'program_id', 'programs', 'CASCADE');
    t.integer('version').notNullable();
    t.string('name', 200).notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.decimal('discount_rate', 6, 4).notNullable().defaultTo(0.035);
    t.decimal('volunteer_hour_value', 10, 2).notNullable();
    enumCol(t, 'status', 'value_map_status_enum').notNullable().defaultTo('draft');
    t.date('valid_from').notNullable();
    t.date('valid_to');
    ref(t, 'created_by', 'users', 'SET NULL');
    t.text('notes');
    stamps(t);
  });
  await knex.raw("CREATE UNIQUE INDEX sroi_value_maps_version ON sroi_value_maps (organization_id, coalesce(program_id, '00000000-0000-0000-0000-000000000000'::uuid), version)");
  await unitInterval('sroi_value_maps', 'discount_rate');
  await check('sroi_value_maps', 'version', 'version >= 1');
  await knex.schema.createTable('sroi_value_map_outcomes', (t) => {
    id(t);
    ref(t, 'value_map_id', 'sroi_value_maps', 'CASCADE').notNullable();
    t.string('outcome_key', 60).notNullable();
    t.string('description', 300).notNullable();
    t.string('indicator', 300).notNullable();
    t.decimal('financial_proxy', 14, 2).notNullable();
    t.text('proxy_source').notNullable();
    t.decimal('deadweight', 4, 3).notNullable();
    t.decimal('attribution', 4, 3).notNullable();
    t.decimal('displacement', 4, 3).notNullable();
    t.decimal('drop_off', 4, 3).notNullable();
    t.integer('benefit_period_years').notNullable();
    stamps(t);
    t.unique(['value_map_id', 'outcome_key']);
  });
  for (const column of ['deadweight', 'attribution', 'displacement', 'drop_off']) await unitInterval('sroi_value_map_outcomes', column);
  await check('sroi_value_map_outcomes', 'benefit_period', 'benefit_period_years BETWEEN 1 AND 30');
  await check('sroi_value_map_outcomes', 'proxy', 'financial_proxy >= 0');

  // ---------------------------------------------------------------- metrics
  await knex.schema.createTable('metrics_company_period', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    enumCol(t, 'period_type', 'period_type_enum').notNullable();
    t.date('period_start').notNullable();
    t.date('period_end').notNullable();
    t.integer('participants_count').notNullable().defaultTo(0);
    t.integer('volunteers_count').notNullable().defaultTo(0);
    t.integer('sessions_count').notNullable().defaultTo(0);
    t.decimal('volunteer_hours', 12, 2).notNullable().defaultTo(0);
    t.integer('placements_count').notNullable().defaultTo(0);
    t.decimal('avg_integration_score', 4, 3);
    t.decimal('avg_language_level', 4, 3);
    t.decimal('avg_job_readiness', 4, 3);
    t.decimal('avg_wellbeing', 4, 3);
    t.decimal('investment_total', 14, 2);
    t.decimal('outcomes_present_value', 16, 2);
    t.decimal('sroi_ratio', 10, 4);
    t.decimal('sroi_low', 10, 4);
    t.decimal('sroi_high', 10, 4);
    t.decimal('payback_months', 8, 2);
    t.decimal('vis_score', 5, 2);
    ref(t, 'value_map_id', 'sroi_value_maps', 'SET NULL');
    t.integer('value_map_version');
    t.jsonb('parameters').notNullable().defaultTo('{}');
    t.jsonb('breakdown').notNullable().defaultTo('{}');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    stamps(t);
    t.unique(['organization_id', 'period_type', 'period_start']);
  });
  await check('metrics_company_period', 'period', 'period_end >= period_start');
  await check('metrics_company_period', 'vis_range', 'vis_score IS NULL OR vis_score BETWEEN 0 AND 100');
  for (const column of ['avg_integration_score', 'avg_language_level', 'avg_job_readiness', 'avg_wellbeing']) await unitInterval('metrics_company_period', column);
  await check('metrics_company_period', 'counts', 'participants_count >= 0 AND volunteers_count >= 0 AND sessions_count >= 0 AND placements_count >= 0');
  await check('metrics_company_period', 'sroi_range', 'sroi_ratio IS NULL OR (sroi_low <= sroi_ratio AND sroi_ratio <= sroi_high)');

  await knex.schema.createTable('platform_metrics', (t) => {
    id(t);
    t.date('metric_date').notNullable().unique();
    t.integer('total_professionals').notNullable().defaultTo(0);
    t.integer('total_candidates').notNullable().defaultTo(0);
    t.integer('total_companies').notNullable().defaultTo(0);
    t.integer('total_hr_partners').notNullable().defaultTo(0);
    t.integer('new_professionals_today').notNullable().defaultTo(0);
    t.integer('new_candidates_today').notNullable().defaultTo(0);
    t.integer('new_companies_today').notNullable().defaultTo(0);
    t.integer('active_job_roles').notNullable().defaultTo(0);
    t.integer('introductions_sent_today').notNullable().defaultTo(0);
    t.integer('introductions_accepted_today').notNullable().defaultTo(0);
    t.integer('introductions_declined_today').notNullable().defaultTo(0);
    t.decimal('acceptance_rate_percentage', 5, 2).notNullable().defaultTo(0);
    t.decimal('avg_response_time_hours', 10, 2);
    t.integer('total_searches_today').notNullable().defaultTo(0);
    t.integer('total_profile_views_today').notNullable().defaultTo(0);
    t.integer('recommendations_generated_today').notNullable().defaultTo(0);
    t.integer('recommendations_viewed_today').notNullable().defaultTo(0);
    t.integer('recommendations_clicked_today').notNullable().defaultTo(0);
    t.integer('recommendations_applied_today').notNullable().defaultTo(0);
    t.integer('applications_today').notNullable().defaultTo(0);
    t.integer('placements_today').notNullable().defaultTo(0);
    t.bigInteger('revenue_today_ngn').notNullable().defaultTo(0);
    t.jsonb('revenue_by_currency').notNullable().defaultTo('{}');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    created(t);
  });
  await percent('platform_metrics', 'acceptance_rate_percentage');

  await knex.schema.createTable('cohort_metrics', (t) => {
    id(t);
    ref(t, 'cohort_id', 'cohorts', 'CASCADE').notNullable();
    t.date('metric_date').notNullable();
    t.integer('enrolled').notNullable().defaultTo(0);
    t.integer('waiting').notNullable().defaultTo(0);
    t.integer('in_progress').notNullable().defaultTo(0);
    t.integer('complete').notNullable().defaultTo(0);
    t.integer('verification_pending').notNullable().defaultTo(0);
    t.integer('verification_verified').notNullable().defaultTo(0);
    t.integer('verification_rejected').notNullable().defaultTo(0);
    // Demographic counts with every group under 5 people suppressed (null).
    t.jsonb('demographics').notNullable().defaultTo('{}');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    created(t);
    t.unique(['cohort_id', 'metric_date']);
  });
  await check('cohort_metrics', 'funnel', 'enrolled = waiting + in_progress + complete');

  // ---------------------------------------------------------------- governance, audit, idempotency
  await knex.schema.createTable('audit_logs', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'SET NULL');
    ref(t, 'organization_id', 'organizations', 'SET NULL');
    t.string('action', 100).notNullable();
    t.string('entity_type', 50);
    t.uuid('entity_id');
    t.jsonb('changes').notNullable().defaultTo('{}');
    t.string('ip_address', 45);
    t.string('request_id', 64);
    created(t);
    t.index(['entity_type', 'entity_id']);
    t.index(['created_at']);
  });
  await knex.schema.createTable('activity_logs', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    t.string('action_type', 100).notNullable();
    t.string('entity_type', 50);
    t.uuid('entity_id');
    t.text('description');
    t.string('ip_address', 45);
    t.text('user_agent');
    t.jsonb('metadata');
    created(t);
    t.index(['action_type']);
    t.index(['created_at']);
  });
  await knex.schema.createTable('security_events', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'SET NULL');
    t.string('event_type', 80).notNullable();
    enumCol(t, 'severity', 'severity_enum').notNullable();
    t.text('description');
    t.string('ip_address', 45);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('resolved_at', { useTz: true });
    ref(t, 'resolved_by', 'users', 'SET NULL');
    created(t);
  });
  await knex.schema.createTable('safety_flags', (t) => {
    id(t);
    t.uuid('content_id').notNullable();
    enumCol(t, 'content_type', 'safety_content_type_enum').notNullable();
    enumCol(t, 'flag_reason', 'safety_flag_reason_enum').notNullable();
    t.decimal('confidence', 4, 3).notNullable();
    t.boolean('requires_human_review').notNullable().defaultTo(true);
    enumCol(t, 'review_status', 'safety_review_status_enum').notNullable().defaultTo('pending');
    ref(t, 'reviewed_by', 'users', 'SET NULL');
    t.text('review_notes');
    t.timestamp('reviewed_at', { useTz: true });
    t.timestamp('raised_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['review_status', 'raised_at']);
    t.index(['content_id', 'content_type']);
  });
  await unitInterval('safety_flags', 'confidence');

  await knex.schema.createTable('external_id_mappings', (t) => {
    id(t);
    ref(t, 'user_id', 'users', 'CASCADE').notNullable();
    t.string('external_system', 40).notNullable();
    t.string('external_id', 200).notNullable();
    created(t);
    t.unique(['external_system', 'external_id']);
  });
  await knex.schema.createTable('event_deduplication', (t) => {
    id(t);
    t.string('event_id', 200).notNullable();
    t.string('event_type', 100).notNullable();
    t.string('consumer_id', 100).notNullable();
    t.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('success').notNullable();
    t.text('error_message');
    t.jsonb('metadata');
    created(t);
    t.unique(['event_id', 'consumer_id']);
    t.index(['processed_at']);
  });
  await knex.schema.createTable('webhook_deduplication', (t) => {
    id(t);
    t.string('delivery_id', 200).notNullable();
    t.string('webhook_source', 40).notNullable();
    t.string('webhook_type', 100).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('processed_at', { useTz: true });
    t.boolean('success');
    t.integer('status_code');
    t.text('error_message');
    t.integer('retry_count').notNullable().defaultTo(0);
    t.jsonb('payload');
    created(t);
    t.unique(['delivery_id', 'webhook_source']);
  });
  await knex.schema.createTable('api_request_deduplication', (t) => {
    id(t);
    t.string('idempotency_key', 200).notNullable().unique();
    ref(t, 'user_id', 'users', 'CASCADE');
    t.string('endpoint', 300).notNullable();
    enumCol(t, 'method', 'http_method_enum').notNullable();
    t.string('request_hash', 64);
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.integer('status_code');
    t.jsonb('response_body');
    t.text('error_message');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    created(t);
    t.index(['expires_at']);
  });

  // ---------------------------------------------------------------- subscriptions and payments (theNexus)
  await knex.schema.createTable('subscription_plans', (t) => {
    id(t);
    t.string('plan_name', 100).notNullable().unique();
    t.text('plan_description');
    t.integer('price_monthly_ngn').notNullable();
    t.integer('price_annual_ngn');
    t.integer('introduction_credits_monthly').notNullable();
    t.integer('max_hr_users');
    t.integer('max_active_roles');
    enumCol(t, 'support_level', 'support_level_enum').notNullable().defaultTo('standard');
    t.jsonb('features').notNullable().defaultTo('[]');
    t.boolean('is_active').notNullable().defaultTo(true);
    t.integer('sort_order').notNullable().defaultTo(0);
    stamps(t);
  });
  await check('subscription_plans', 'prices', 'price_monthly_ngn >= 0 AND (price_annual_ngn IS NULL OR price_annual_ngn >= 0) AND introduction_credits_monthly >= 0');
  await knex.schema.createTable('company_subscriptions', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'plan_id', 'subscription_plans', 'RESTRICT').notNullable();
    enumCol(t, 'status', 'subscription_status_enum').notNullable().defaultTo('active');
    enumCol(t, 'billing_cycle', 'billing_cycle_enum').notNullable();
    t.date('start_date').notNullable();
    t.date('end_date');
    t.timestamp('trial_ends_at', { useTz: true });
    t.date('next_billing_date');
    t.boolean('auto_renew').notNullable().defaultTo(true);
    t.timestamp('cancelled_at', { useTz: true });
    t.text('cancellation_reason');
    stamps(t);
    t.index(['status']);
  });
  await check('company_subscriptions', 'dates', 'end_date IS NULL OR end_date >= start_date');
  await knex.schema.createTable('payments', (t) => {
    id(t);
    ref(t, 'organization_id', 'organizations', 'CASCADE').notNullable();
    ref(t, 'subscription_id', 'company_subscriptions', 'SET NULL');
    t.decimal('amount', 14, 2).notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('NGN');
    enumCol(t, 'payment_method', 'payment_method_enum').notNullable();
    t.string('payment_gateway', 50);
    t.string('transaction_reference', 255).notNullable().unique();
    enumCol(t, 'status', 'payment_status_enum').notNullable().defaultTo('pending');
    t.text('failure_reason');
    t.timestamp('paid_at', { useTz: true });
    t.timestamp('refunded_at', { useTz: true });
    t.text('refund_reason');
    t.jsonb('metadata');
    stamps(t);
    t.index(['status']);
    t.index(['paid_at']);
  });
  await check('payments', 'amount', 'amount > 0');
  await check('payments', 'paid_has_date', "status <> 'successful' OR paid_at IS NOT NULL");

  // ---------------------------------------------------------------- generic passes
  // An index on every foreign key column that is not already the leading column of one.
  const { rows: unindexed } = await knex.raw<{ rows: Array<{ table_name: string; column_name: string }> }>(`
    SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
      AND NOT EXISTS (
        SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
    ORDER BY 1, 2`);
  for (const { table_name, column_name } of unindexed) {
    await knex.raw('CREATE INDEX ?? ON ?? (??)', [`${table_name}_${column_name}_fk`, table_name, column_name]);
  }
  const { rows: stamped } = await knex.raw<{ rows: Array<{ table_name: string }> }>(`
    SELECT table_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name = 'updated_at' ORDER BY 1`);
  for (const { table_name } of stamped) {
    await knex.raw('CREATE TRIGGER ?? BEFORE UPDATE ON ?? FOR EACH ROW EXECUTE FUNCTION set_updated_at()', [`${table_name}_updated_at`, table_name]);
  }
}

const TABLES_IN_CREATION_ORDER = [
  'locations', 'users', 'roles', 'permissions', 'role_permissions', 'user_roles', 'user_permissions', 'industries',
  'organizations', 'organization_members', 'consent_records', 'skills', 'data_sources', 'ml_model_versions',
  'candidates', 'candidate_skills', 'candidate_experience', 'candidate_education', 'candidate_certifications',
  'candidate_languages', 'candidate_references', 'opportunities', 'opportunity_skills', 'training_programs',
  'training_program_skills', 'cohorts', 'cohort_enrollments', 'document_verifications', 'recommendations',
  'applications', 'placements', 'introduction_requests', 'talent_pools', 'talent_pool_members', 'saved_searches',
  'favorites', 'referrals', 'search_queries', 'profile_views', 'analytics_events', 'notifications',
  'notification_preferences', 'programs', 'program_enrollments', 'sessions', 'buddy_matches', 'buddy_events',
  'buddy_checkins', 'buddy_feedback', 'learning_progress', 'outcome_scores', 'evidence_snippets', 'investments',
  'sroi_value_maps', 'sroi_value_map_outcomes', 'metrics_company_period', 'platform_metrics', 'cohort_metrics',
  'audit_logs', 'activity_logs', 'security_events', 'safety_flags', 'external_id_mappings', 'event_deduplication',
  'webhook_deduplication', 'api_request_deduplication', 'subscription_plans', 'company_subscriptions', 'payments',
];

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES_IN_CREATION_ORDER].reverse()) await knex.schema.dropTableIfExists(table);
  await knex.raw('DROP FUNCTION IF EXISTS set_updated_at()');
  for (const name of Object.keys(ENUMS).reverse()) await knex.raw(`DROP TYPE IF EXISTS ${name}`);
}
