/**
 * The objection models against the real schema: relation mappings load through
 * withGraphFetched, join-table extras round-trip, and jsonSchema refuses bad input with
 * objection's ValidationError before any SQL runs — while rows read back from Postgres
 * (numerics as strings, timestamps as Dates) still re-validate.
 *
 * Each test runs in its own transaction that is rolled back, so it leaves no rows behind.
 * Under the shared harness it uses the run's database; run alone it connects to DATABASE_URL
 * when set, else to the default (local) database.
 */
import { expect } from 'chai';
import { ValidationError } from 'objection';
import type { Knex } from 'knex';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/knex.js';
// A static import, so it is the same module instance mocha loaded as the root-hook plugin.
import { harness } from './harness.js';
import {
  Application, BuddyMatch, Candidate, CandidateLanguage, Cohort, IntroductionRequest, Opportunity, Organization,
  OutcomeScore, PG_ENUMS, Permission, Placement, Program, ProgrammeSession, Recommendation, Role, Skill, SroiValueMap,
  SroiValueMapOutcome, TrainingProgram, User, type OrganizationType, type UserType,
} from '../src/db/models/index.js';
import { parsePgArray } from '../src/db/models/base.js';

const unique = (): string => Math.random().toString(36).slice(2, 10);

const userJson = (overrides: { user_type?: UserType; preferred_language?: string } = {}) => ({
  email: `models-${unique()}@example.org`,
  first_name: 'Amina',
  last_name: 'Bello',
  user_type: 'BENEFICIARY' as const,
  ...overrides,
});

const organizationJson = (type: OrganizationType, overrides: object = {}) => ({
  name: `Models test ${type} ${unique()}`,
  type,
  ...overrides,
});

/** Runs `work` expecting objection's ValidationError; returns it for further checks. */
async function expectValidationError(work: () => unknown): Promise<ValidationError> {
  try {
    await work();
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.type).to.equal('ModelValidation');
    expect(validation.statusCode).to.equal(400);
    return validation;
  }
  throw new Error('expected a ValidationError, but the input was accepted');
}

describe('objection models', function () {
  let db: Knex;
  let trx: Knex.Transaction;

  let ownDb = false;

  before(function () {
    // Inside the shared harness (.mocharc.json), use this run's own migrated database; run
    // alone (mocha --no-config), connect to DATABASE_URL or the default local database.
    try {
      db = harness().db;
    } catch {
      db = createDb(loadConfig(), undefined, { poolMax: 2 });
      ownDb = true;
    }
  });
  after(async function () {
    if (ownDb) await db?.destroy();
  });
  beforeEach(async function () {
    trx = await db.transaction();
  });
  afterEach(async function () {
    await trx?.rollback();
  });

  async function insertSkills(...names: string[]): Promise<Skill[]> {
    const suffix = unique();
    return Skill.query(trx).insert(names.map((name) => ({
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${suffix}`,
      skill_name: `${name} ${suffix}`,
      skill_category: 'trade',
      synonyms: [name.toLowerCase()],
    })));
  }

  describe('enum copies', function () {
    it('match the Postgres enums value for value, in order', async function () {
      const { rows } = await trx.raw<{ rows: Array<{ name: string; values: string[] }> }>(`
        SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typname = ANY(?) GROUP BY t.typname`, [Object.keys(PG_ENUMS)]);
      const inDatabase = Object.fromEntries(rows.map((row) => [row.name, row.values]));
      for (const [name, values] of Object.entries(PG_ENUMS)) {
        expect(inDatabase[name], name).to.deep.equal([...values]);
      }
    });
  });

  describe('relations load through withGraphFetched', function () {
    it('candidate with user, location, skills, skillTags (with join extras) and languages', async function () {
      const [welding, carpentry, plumbing] = await insertSkills('Welding', 'Carpentry', 'Plumbing');
      const user = await User.query(trx).insertGraph({
        ...userJson(),
        candidate: {
          candidate_type: 'beneficiary',
          category: 'RETURNING_MIGRANT',
          years_experience: 4,
          profile_completeness: 80,
          salary_expectation_min: 150000,
          salary_expectation_max: '250000.50',
          salary_currency: 'NGN',
          badges: ['verified-id'],
          location: { country: 'NG', region: 'Lagos', city: 'Ikeja', latitude: 6.6018, longitude: 3.3515 },
          skills: [
            { skill_id: welding.id, proficiency_level: 'advanced', years_of_experience: 3, is_primary_skill: true },
            { skill_id: carpentry.id, proficiency_level: 'beginner', source: 'inferred', confidence: 0.62 },
          ],
          languages: [
            { language_code: 'en', cefr_level: 'B2' },
            { language_code: 'yo', cefr_level: 'C2', is_native: true },
          ],
        },
      });
      const candidateId = user.candidate!.id;
      // Relating through the many-to-many writes the extras into candidate_skills.
      await Candidate.relatedQuery('skillTags', trx).for(candidateId)
        .relate({ id: plumbing.id, proficiency_level: 'intermediate', source: 'declared', years_of_experience: 1 } as never);

      const candidate = await Candidate.query(trx).findById(candidateId)
        .withGraphFetched('[user, location, skills(bySkill).skill, skillTags(byName), languages(byCode)]')
        .modifiers({
          bySkill: (query) => query.orderBy('is_primary_skill', 'desc'),
          byName: (query) => query.orderBy('skill_name'),
          byCode: (query) => query.orderBy('language_code'),
        });
      expect(candidate).to.be.instanceOf(Candidate);
      expect(candidate!.user).to.be.instanceOf(User);
      expect(candidate!.user!.id).to.equal(user.id);
      expect(candidate!.location!.city).to.equal('Ikeja');
      expect(candidate!.badges).to.deep.equal(['verified-id']);
      // numeric comes back as an exact decimal string
      expect(candidate!.salary_expectation_min).to.equal('150000.00');

      expect(candidate!.skills!.map((s) => s.skill!.id)).to.have.members([welding.id, carpentry.id, plumbing.id]);
      expect(candidate!.skills![0]!.skill!.id).to.equal(welding.id);
      expect(candidate!.skills![0]!.skill!.synonyms).to.deep.equal(['welding']);

      const tags = Object.fromEntries(candidate!.skillTags!.map((s) => [s.id, s]));
      expect(candidate!.skillTags).to.have.length(3);
      expect(tags[welding.id]).to.be.instanceOf(Skill);
      expect(tags[welding.id]).to.include({ proficiency_level: 'advanced', source: 'declared', years_of_experience: 3 });
      expect(tags[carpentry.id]).to.include({ proficiency_level: 'beginner', source: 'inferred', years_of_experience: null });
      expect(tags[plumbing.id]).to.include({ proficiency_level: 'intermediate', source: 'declared', years_of_experience: 1 });

      expect(candidate!.languages!.map((l) => [l.language_code, l.cefr_level, l.is_native]))
        .to.deep.equal([['en', 'B2', false], ['yo', 'C2', true]]);

      // A model read from the database re-validates: decimals as strings, timestamps as Dates.
      expect(() => candidate!.$validate()).not.to.throw();
      expect(() => Candidate.fromJson(candidate!.toJSON())).not.to.throw();

      // The inverse one-to-one.
      const back = await User.query(trx).findById(user.id).withGraphFetched('candidate.location');
      expect(back!.candidate!.id).to.equal(candidateId);
      expect(back!.candidate!.location!.country).to.equal('NG');
    });

    it('opportunity with organization, location, skills and skillTags (requirement extra)', async function () {
      const [forklift, safety] = await insertSkills('Forklift', 'Safety');
      const inserted = await Opportunity.query(trx).insertGraph({
        type: 'PERMANENT_EMPLOYMENT',
        title: 'Forklift operator',
        description: 'Warehouse work, day shifts.',
        salary_min: 90000,
        salary_max: 120000,
        salary_currency: 'NGN',
        eligible_categories: ['IDP', 'RETURNING_MIGRANT'],
        organization: organizationJson('employer', {
          location: { country: 'NG', region: 'Lagos', city: 'Apapa', latitude: 6.449, longitude: 3.359 },
        }),
        skills: [{ skill_id: forklift.id, requirement: 'required', min_proficiency: 'intermediate', min_years: 1 }],
        skillTags: [{ id: safety.id, requirement: 'preferred' }],
      } as never, { relate: ['skillTags'] });

      const opportunity = await Opportunity.query(trx).findById((inserted as unknown as Opportunity).id)
        .withGraphFetched('[organization.location, skills.skill, skillTags]');
      expect(opportunity!.organization).to.be.instanceOf(Organization);
      expect(opportunity!.organization!.type).to.equal('employer');
      expect(opportunity!.organization!.location!.city).to.equal('Apapa');
      // A Postgres array column, not JSON-encoded.
      expect(opportunity!.eligible_categories).to.deep.equal(['IDP', 'RETURNING_MIGRANT']);
      expect(opportunity!.salary_max).to.equal('120000.00');

      const requirements = Object.fromEntries(opportunity!.skills!.map((s) => [s.skill_id, s.requirement]));
      expect(requirements).to.deep.equal({ [forklift.id]: 'required', [safety.id]: 'preferred' });
      expect(opportunity!.skills!.find((s) => s.skill_id === forklift.id)!.skill!.slug).to.equal(forklift.slug);
      const tagRequirements = Object.fromEntries(opportunity!.skillTags!.map((s) => [s.id, s.requirement]));
      expect(tagRequirements).to.deep.equal({ [forklift.id]: 'required', [safety.id]: 'preferred' });

      expect(() => opportunity!.$validate()).not.to.throw();

      const organization = await Organization.query(trx).findById(opportunity!.organization_id).withGraphFetched('opportunities');
      expect(organization!.opportunities!.map((o) => o.id)).to.deep.equal([opportunity!.id]);
    });

    it('cohort with institution, sponsor and enrollments (with user and verifications)', async function () {
      const inserted = await Cohort.query(trx).insertGraph({
        name: `Learnership ${unique()}`,
        program_type: 'learnership',
        institution: organizationJson('institution'),
        sponsor: organizationJson('sponsor'),
        enrollments: [
          { state: 'in_progress', user: userJson({ user_type: 'STUDENT' }), verifications: [{ document_type: 'national_id', action: 'approved' }] },
          { state: 'waiting', user: userJson({ user_type: 'STUDENT' }) },
        ],
      } as never);

      const cohort = await Cohort.query(trx).findById((inserted as unknown as Cohort).id)
        // Enums sort in declaration order: waiting, in_progress, complete.
        .withGraphFetched('[institution, sponsor, enrollments(byState).[user, verifications, cohort]]')
        .modifiers({ byState: (query) => query.orderBy('state', 'desc') });
      expect(cohort!.institution!.type).to.equal('institution');
      expect(cohort!.sponsor!.type).to.equal('sponsor');
      expect(cohort!.enrollments).to.have.length(2);
      const [inProgress, waiting] = cohort!.enrollments!;
      expect(inProgress!.state).to.equal('in_progress');
      expect(inProgress!.user!.user_type).to.equal('STUDENT');
      expect(inProgress!.verifications!.map((v) => [v.document_type, v.action])).to.deep.equal([['national_id', 'approved']]);
      expect(inProgress!.cohort!.id).to.equal(cohort!.id);
      expect(waiting!.verifications).to.deep.equal([]);
      expect(waiting!.student_data).to.deep.equal({});
    });

    it('program with organization, enrollments and sessions; buddy matches with participant and buddy', async function () {
      const participant = await User.query(trx).insert(userJson({ user_type: 'PARTICIPANT' }));
      const volunteer = await User.query(trx).insert(userJson({ user_type: 'VOLUNTEER' }));
      const inserted = await Program.query(trx).insertGraph({
        name: `Language café ${unique()}`,
        program_type: 'language',
        organization: organizationJson('csr_company'),
        enrollments: [{ user_id: participant.id, program_type: 'language' }],
        sessions: [
          { session_type: 'language', participant_id: participant.id, volunteer_id: volunteer.id, scheduled_at: new Date('2026-03-02T10:00:00Z'), rating: 0.8, language_level: 'A2', topics: ['greetings'] },
          { session_type: 'language', participant_id: participant.id, scheduled_at: new Date('2026-03-09T10:00:00Z') },
        ],
        buddyMatches: [{ participant_id: participant.id, buddy_id: volunteer.id }],
      } as never);
      const programId = (inserted as unknown as Program).id;

      const program = await Program.query(trx).findById(programId)
        .withGraphFetched('[organization, enrollments.user, sessions(bySchedule).[participant, volunteer], buddyMatches.[participant, buddy]]')
        .modifiers({ bySchedule: (query) => query.orderBy('scheduled_at') });
      expect(program!.organization!.type).to.equal('csr_company');
      expect(program!.enrollments!.map((e) => e.user!.id)).to.deep.equal([participant.id]);
      expect(program!.sessions).to.have.length(2);
      const [first, second] = program!.sessions!;
      expect(first).to.be.instanceOf(ProgrammeSession);
      expect(first!.rating).to.equal('0.80');
      expect(first!.topics).to.deep.equal(['greetings']);
      expect(first!.participant!.id).to.equal(participant.id);
      expect(first!.volunteer!.id).to.equal(volunteer.id);
      expect(second!.volunteer).to.equal(null);
      expect(() => first!.$validate()).not.to.throw();

      const [match] = program!.buddyMatches!;
      expect(match).to.be.instanceOf(BuddyMatch);
      expect(match!.participant!.id).to.equal(participant.id);
      expect(match!.buddy!.id).to.equal(volunteer.id);
    });

    it('value map with organization and outcomes; outcome score with evidence', async function () {
      const inserted = await SroiValueMap.query(trx).insertGraph({
        version: 1,
        name: 'Integration outcomes',
        currency: 'EUR',
        volunteer_hour_value: 28.5,
        valid_from: '2026-01-01',
        organization: organizationJson('csr_company'),
        outcomes: [
          { outcome_key: 'employment', description: 'Found work', indicator: 'Placement within 6 months', financial_proxy: 12000, proxy_source: 'Statistics bureau median wage', deadweight: 0.25, attribution: 0.3, displacement: 0.1, drop_off: 0.2, benefit_period_years: 3 },
          { outcome_key: 'language', description: 'Language gain', indicator: 'One CEFR level', financial_proxy: '1500.00', proxy_source: 'Course price', deadweight: '0.1', attribution: '0.2', displacement: '0', drop_off: '0.5', benefit_period_years: 1 },
        ],
      } as never);
      const valueMap = await SroiValueMap.query(trx).findById((inserted as unknown as SroiValueMap).id)
        .withGraphFetched('[organization, outcomes(byKey).valueMap]')
        .modifiers({ byKey: (query) => query.orderBy('outcome_key') });
      expect(valueMap!.organization!.type).to.equal('csr_company');
      expect(valueMap!.discount_rate).to.equal('0.0350');
      expect(valueMap!.outcomes!.map((o) => [o.outcome_key, o.deadweight, o.benefit_period_years]))
        .to.deep.equal([['employment', '0.250', 3], ['language', '0.100', 1]]);
      expect(valueMap!.outcomes![0]!.valueMap!.id).to.equal(valueMap!.id);
      for (const outcome of valueMap!.outcomes!) {
        expect(outcome).to.be.instanceOf(SroiValueMapOutcome);
        expect(() => SroiValueMapOutcome.fromJson(outcome.toJSON())).not.to.throw();
      }

      const user = await User.query(trx).insert(userJson({ user_type: 'PARTICIPANT' }));
      const score = await OutcomeScore.query(trx).insertGraph({
        text_id: user.id,
        text_type: 'checkin_note',
        user_id: user.id,
        dimension: 'belonging',
        score: 0.7,
        confidence: 0.85,
        model_version: 'rules-v1',
        evidence: [{ snippet_text: 'I feel at home here now.', snippet_hash: 'a'.repeat(64) }],
      } as never);
      const loaded = await OutcomeScore.query(trx).findById((score as unknown as OutcomeScore).id).withGraphFetched('[evidence.outcomeScore, user]');
      expect(loaded!.score).to.equal('0.700');
      expect(loaded!.evidence!.map((e) => e.snippet_text)).to.deep.equal(['I feel at home here now.']);
      expect(loaded!.evidence![0]!.outcomeScore!.id).to.equal(loaded!.id);
      expect(loaded!.user!.id).to.equal(user.id);
      expect(() => loaded!.$validate()).not.to.throw();
    });

    it('recommendation → application → placement, and an introduction request with its sender', async function () {
      const employer = await Organization.query(trx).insert(organizationJson('employer'));
      const recruiter = await User.query(trx).insert(userJson({ user_type: 'HR_PARTNER' }));
      const seeker = await User.query(trx).insertGraph({ ...userJson({ user_type: 'PROFESSIONAL' }), candidate: { candidate_type: 'professional', years_experience: 12 } });
      const opportunity = await Opportunity.query(trx).insert({ type: 'PERMANENT_EMPLOYMENT', title: 'Finance director', description: 'Lead finance.', organization_id: employer.id });
      const candidateId = seeker.candidate!.id;

      const recommendation = await Recommendation.query(trx).insert({
        candidate_id: candidateId, opportunity_id: opportunity.id, match_score: 0.91, rank: 1, model_version: 'v1',
        chips: [{ kind: 'skill', label: 'IFRS' }],
      });
      const application = await Application.query(trx).insertGraph({
        candidate_id: candidateId, opportunity_id: opportunity.id, recommendation_id: recommendation.id, status: 'HIRED', ai_fit_score: 87.5,
        placement: { candidate_id: candidateId, opportunity_id: opportunity.id, organization_id: employer.id, start_date: '2026-04-01', roi_metrics: { months_to_hire: 2 } },
      } as never);
      await IntroductionRequest.query(trx).insert({
        opportunity_id: opportunity.id, organization_id: employer.id, sent_by_user_id: recruiter.id, candidate_id: candidateId,
        expires_at: new Date(Date.now() + 7 * 86_400_000),
      });

      const candidate = await Candidate.query(trx).findById(candidateId)
        .withGraphFetched('[recommendations.application, applications.[opportunity, placement, recommendation], introductionRequests.[sender, organization, opportunity, candidate]]');
      expect(candidate!.recommendations!.map((r) => r.match_score)).to.deep.equal(['0.9100']);
      expect(candidate!.recommendations![0]!.chips).to.deep.equal([{ kind: 'skill', label: 'IFRS' }]);
      expect(candidate!.recommendations![0]!.application!.id).to.equal((application as unknown as Application).id);
      const [loadedApplication] = candidate!.applications!;
      expect(loadedApplication!.ai_fit_score).to.equal('87.50');
      expect(loadedApplication!.placement).to.be.instanceOf(Placement);
      expect(loadedApplication!.placement!.roi_metrics).to.deep.equal({ months_to_hire: 2 });
      expect(loadedApplication!.recommendation!.id).to.equal(recommendation.id);
      expect(loadedApplication!.opportunity!.title).to.equal('Finance director');
      const [intro] = candidate!.introductionRequests!;
      expect(intro!.sender!.id).to.equal(recruiter.id);
      expect(intro!.organization!.id).to.equal(employer.id);
      expect(intro!.opportunity!.id).to.equal(opportunity.id);
      expect(intro!.candidate!.id).to.equal(candidateId);
      expect(() => loadedApplication!.$validate()).not.to.throw();
      expect(() => candidate!.recommendations![0]!.$validate()).not.to.throw();
    });

    it('user with roles, and roles with permissions', async function () {
      const suffix = unique();
      const user = await User.query(trx).insertGraph({
        ...userJson({ user_type: 'ADMINISTRATOR' }),
        roles: [{
          name: `recruiter-${suffix}`, display_name: 'Recruiter',
          permissions: [{ name: `candidates.read-${suffix}`, resource: `candidates-${suffix}`, action: 'READ' }],
        }],
      } as never);
      const loaded = await User.query(trx).findById((user as unknown as User).id).withGraphFetched('roles.permissions.roles');
      expect(loaded!.roles!.map((r) => r.display_name)).to.deep.equal(['Recruiter']);
      expect(loaded!.roles![0]).to.be.instanceOf(Role);
      expect(loaded!.roles![0]!.permissions![0]).to.be.instanceOf(Permission);
      expect(loaded!.roles![0]!.permissions![0]!.action).to.equal('READ');
      expect(loaded!.roles![0]!.permissions![0]!.roles!.map((r) => r.id)).to.deep.equal([loaded!.roles![0]!.id]);
    });

    it('skill parent and children', async function () {
      const [trades] = await insertSkills('Trades');
      const [electrical] = await Skill.query(trx).insert([{ slug: `electrical-${unique()}`, skill_name: `Electrical ${unique()}`, skill_category: 'trade', parent_skill_id: trades!.id }]);
      const parent = await Skill.query(trx).findById(trades!.id).withGraphFetched('children.parent');
      expect(parent!.children!.map((c) => c.id)).to.deep.equal([electrical!.id]);
      expect(parent!.children![0]!.parent!.id).to.equal(trades!.id);
    });
  });

  describe('Postgres enum arrays', function () {
    it('parses array literals', function () {
      expect(parsePgArray('{}')).to.deep.equal([]);
      expect(parsePgArray('{IDP}')).to.deep.equal(['IDP']);
      expect(parsePgArray('{IDP,RETURNING_MIGRANT,NULL}')).to.deep.equal(['IDP', 'RETURNING_MIGRANT', null]);
      expect(parsePgArray('{"a b","c,d","e\\"f",g}')).to.deep.equal(['a b', 'c,d', 'e"f', 'g']);
    });

    it('round-trip eligible_categories on training programmes, empty and filled', async function () {
      const provider = await Organization.query(trx).insert(organizationJson('training_provider'));
      const open = await TrainingProgram.query(trx).insert({ provider_id: provider.id, title: 'Solar installation' });
      const targeted = await TrainingProgram.query(trx).insert({ provider_id: provider.id, title: 'Tailoring', eligible_categories: ['IDP'] });
      const loaded = await TrainingProgram.query(trx).whereIn('id', [open.id, targeted.id]).orderBy('title').withGraphFetched('provider');
      expect(loaded.map((p) => [p.title, p.eligible_categories])).to.deep.equal([['Solar installation', []], ['Tailoring', ['IDP']]]);
      expect(loaded[0]!.provider!.id).to.equal(provider.id);
    });
  });

  describe('timestamps', function () {
    it('come from the database on insert and updated_at is stamped by the trigger on update', async function () {
      const inserted = await User.query(trx).insert(userJson()).returning('*');
      expect(inserted.created_at).to.be.instanceOf(Date);
      expect(inserted.updated_at).to.be.instanceOf(Date);
      // now() is the transaction's start time, so move the stored stamp back to see the trigger work.
      await trx('users').where({ id: inserted.id }).update({ updated_at: new Date('2020-01-01T00:00:00Z') });
      const fetched = await User.query(trx).findById(inserted.id);
      await fetched!.$query(trx).patch({ preferred_name: 'Ami' });
      const after = await User.query(trx).findById(inserted.id);
      expect(after!.preferred_name).to.equal('Ami');
      expect(after!.updated_at.getTime()).to.be.greaterThan(new Date('2020-01-01T00:00:00Z').getTime());
      expect(after!.created_at.getTime()).to.equal(inserted.created_at.getTime());
    });
  });

  describe('jsonSchema rejects bad input with ValidationError', function () {
    it('Candidate profile_completeness 150', async function () {
      const error = await expectValidationError(() => Candidate.fromJson({ candidate_type: 'job_seeker', profile_completeness: 150 }));
      expect(error.data).to.have.property('profile_completeness');
      // ...and an insert is refused before any SQL runs.
      await expectValidationError(() => Candidate.query(trx).insert({ candidate_type: 'job_seeker', profile_completeness: 150 }));
    });

    it('Candidate years_experience, negative salary, unknown enums', async function () {
      const error = await expectValidationError(() => Candidate.fromJson({
        candidate_type: 'astronaut', category: 'TOURIST', profile_visibility: 'everyone', years_experience: 71, salary_expectation_min: -1, salary_expectation_max: '-5',
      }));
      expect(error.data).to.include.all.keys('candidate_type', 'category', 'profile_visibility', 'years_experience', 'salary_expectation_min', 'salary_expectation_max');
    });

    it('CandidateLanguage cefr_level D1 and a bad language code', async function () {
      const error = await expectValidationError(() => CandidateLanguage.fromJson({ language_code: 'EN', cefr_level: 'D1' }));
      expect(error.data).to.include.all.keys('cefr_level', 'language_code');
      expect(() => CandidateLanguage.fromJson({ language_code: 'fr', cefr_level: 'C2' })).not.to.throw();
    });

    it('Recommendation match_score 1.5 (number or string) and feedback_rating 6', async function () {
      for (const match_score of [1.5, '1.5', -0.1]) {
        const error = await expectValidationError(() => Recommendation.fromJson({ match_score, model_version: 'v1' }));
        expect(error.data).to.have.property('match_score');
      }
      const rating = await expectValidationError(() => Recommendation.fromJson({ match_score: 0.5, model_version: 'v1', feedback_rating: 6 }));
      expect(rating.data).to.have.property('feedback_rating');
      for (const match_score of [0, 1, 0.5, '0.9500', '1.0000']) {
        expect(() => Recommendation.fromJson({ match_score, model_version: 'v1' })).not.to.throw();
      }
    });

    it('User bad email, missing names, bad language tag, unknown user_type', async function () {
      const error = await expectValidationError(() => User.fromJson({ email: 'not-an-email', user_type: 'ALIEN', preferred_language: 'english' }));
      expect(error.data).to.include.all.keys('email', 'first_name', 'last_name', 'user_type', 'preferred_language');
      expect(() => User.fromJson(userJson({ preferred_language: 'fr-CM' }))).not.to.throw();
    });

    it('Opportunity unknown type, missing title, negative salary', async function () {
      const error = await expectValidationError(() => Opportunity.fromJson({ type: 'GIG', description: 'x', salary_min: -10 }));
      expect(error.data).to.include.all.keys('type', 'title', 'salary_min');
      expect(() => Opportunity.fromJson({ type: 'MICRO_CREDIT', title: 'Loan', description: 'x', salary_min: '0.00' })).not.to.throw();
    });

    it('Application ai_fit_score 101, OutcomeScore score 2, ProgrammeSession rating 1.2, Organization type', async function () {
      expect((await expectValidationError(() => Application.fromJson({ ai_fit_score: 101 }))).data).to.have.property('ai_fit_score');
      expect((await expectValidationError(() => Application.fromJson({ ai_fit_score: '100.01' }))).data).to.have.property('ai_fit_score');
      expect(() => Application.fromJson({ ai_fit_score: '100.00' })).not.to.throw();
      const score = await expectValidationError(() => OutcomeScore.fromJson({ text_id: '00000000-0000-4000-8000-000000000000', text_type: 'checkin_note', dimension: 'belonging', score: 2, confidence: '1.01', model_version: 'v1' }));
      expect(score.data).to.include.all.keys('score', 'confidence');
      expect((await expectValidationError(() => ProgrammeSession.fromJson({ session_type: 'language', scheduled_at: '2026-01-01T00:00:00Z', rating: 1.2 }))).data).to.have.property('rating');
      expect((await expectValidationError(() => Organization.fromJson({ name: 'X', type: 'cartel' }))).data).to.have.property('type');
    });

    it('SroiValueMapOutcome proportions above 1 and benefit period outside 1..30', async function () {
      const good = { outcome_key: 'k', description: 'd', indicator: 'i', financial_proxy: 10, proxy_source: 's', deadweight: 0.1, attribution: 0.1, displacement: 0.1, drop_off: 0.1, benefit_period_years: 5 };
      expect(() => SroiValueMapOutcome.fromJson(good)).not.to.throw();
      const error = await expectValidationError(() => SroiValueMapOutcome.fromJson({ ...good, deadweight: 1.1, attribution: '2', displacement: -0.1, drop_off: '1.5', benefit_period_years: 31 }));
      expect(error.data).to.include.all.keys('deadweight', 'attribution', 'displacement', 'drop_off', 'benefit_period_years');
      expect((await expectValidationError(() => SroiValueMapOutcome.fromJson({ ...good, benefit_period_years: 0 }))).data).to.have.property('benefit_period_years');
    });

    it('a patch validates only the given properties', async function () {
      expect(() => Candidate.fromJson({ profile_completeness: 50 }, { patch: true })).not.to.throw();
      await expectValidationError(() => Candidate.fromJson({ profile_completeness: 101 }, { patch: true }));
    });
  });
});
