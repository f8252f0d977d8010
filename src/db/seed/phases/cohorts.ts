/** Training programmes, learnership cohorts, enrolments and document verification. */
import { pgArrayOf } from '../../copy.js';
import { LOCATIONS } from '../data/locations.js';
import { TRAINING_PROGRAMS } from '../data/text.js';
import { CATEGORIES, CURRENCY, DAY, DemoWorld, K, SALARY, iso, isoDate, roundTo, t } from '../world.js';

export function generateTrainingAndCohorts(world: DemoWorld) {
  const b = {
    programs: t('training_programs', 'id, provider_id, location_id, title, title_fr, description, delivery_mode, duration_weeks, cost, currency, capacity, is_for_vulnerable, eligible_categories, status, start_date'),
    programSkills: t('training_program_skills', 'training_program_id, skill_id'),
    cohorts: t('cohorts', 'id, institution_id, sponsor_id, training_program_id, created_by, name, program_type, sponsor_email, student_count, supporting_templates, admin_signed_at, state, start_date, end_date, created_at, updated_at'),
    enrollments: t('cohort_enrollments', 'id, cohort_id, user_id, state, document_verification_state, rejection_reason, student_data, uploaded_documents, created_at, updated_at'),
    verifications: t('document_verifications', 'id, cohort_enrollment_id, admin_id, document_type, action, reason, created_at'),
  };
  const r = world.rng(K.training);
  let p = 0;
  for (let k = 0; k < world.plan.organizations.training_provider; k++) {
    const org = world.orgOffsets.training_provider + k;
    const region = world.orgRegion(org);
    for (const program of r.sample(TRAINING_PROGRAMS, r.int(3, 6))) {
      const id = world.id(K.training, p++);
      const vulnerable = region === 'CM' && r.chance(0.6);
      b.programs.add([id, world.id(K.org, org), world.id(K.location, r.pick(world.locationsByRegion[region])), program.name, program.nameFr,
        `${program.name}: a ${program.durationWeeks}-week course.`, r.pick(['in_person', 'online', 'blended'] as const), program.durationWeeks,
        r.chance(0.4) ? 0 : roundTo(SALARY[region][0] * r.normal(0.08, 0.03, 0.01, 0.3), 100), CURRENCY[region], r.int(15, 60), vulnerable,
        pgArrayOf(vulnerable ? r.sample(CATEGORIES, r.int(1, 4)) : []), 'active', isoDate(world.now + r.int(-60, 120) * DAY)]);
      for (const slug of program.skills) b.programSkills.add([id, world.id(K.skill, world.skillIndex.get(slug)!)]);
    }
  }
  let c = 0;
  let e = 0;
  for (let k = 0; k < world.plan.organizations.institution; k++) {
    const org = world.orgOffsets.institution + k;
    const cohorts = r.int(2, 4);
    for (let q = 0; q < cohorts; q++) {
      const sponsor = world.orgOffsets.sponsor + r.int(0, world.plan.organizations.sponsor - 1);
      const programType = r.weighted(['learnership', 'internship', 'candidacy'] as const, [60, 30, 10]);
      const start = world.now - r.int(-60, 500) * DAY;
      const state = start > world.now ? 'draft' : start + 365 * DAY < world.now ? 'completed' : r.chance(0.95) ? 'active' : 'cancelled';
      const cohortId = world.id(K.cohort, c++);
      const size = r.int(10, 40);
      const quarter = Math.floor(new Date(start).getUTCMonth() / 3) + 1;
      b.cohorts.add([cohortId, world.id(K.org, org), world.id(K.org, sponsor), null, world.memberUserId(org, 0),
        `Q${quarter} ${new Date(start).getUTCFullYear()} ${programType[0]!.toUpperCase()}${programType.slice(1)} Programme ${q + 1}`, programType, `sponsor@${sponsor}.example.org`, size, [101, 102],
        state === 'draft' ? null : iso(start - 10 * DAY), state, iso(start), iso(start + 365 * DAY), iso(start - 30 * DAY), iso(start)]);
      const students = new Set<number>();
      for (let s = 0; s < size; s++) {
        const candidate = world.findCandidate(r, (prof) => prof.type === 'student' && prof.region === 'ZA');
        if (candidate === undefined || students.has(candidate)) continue;
        students.add(candidate);
        const enrollmentState = state === 'draft' ? 'waiting' : state === 'completed' ? r.weighted(['complete', 'in_progress'] as const, [85, 15]) : r.weighted(['waiting', 'in_progress', 'complete'] as const, [20, 60, 20]);
        const verification = enrollmentState === 'waiting' ? 'pending' : r.weighted(['pending', 'verified', 'rejected'] as const, [15, 75, 10]);
        const enrollmentId = world.id(K.enrollment, e++);
        const profile = world.candidateProfile(candidate);
        b.enrollments.add([enrollmentId, cohortId, world.id(K.user, candidate), enrollmentState, verification, verification === 'rejected' ? r.pick(['Certified ID copy is older than three months', 'Matric certificate illegible', 'Proof of residence missing']) : null,
          { age: r.int(18, 34), gender: r.weighted(['female', 'male', 'non_binary'], [52, 46, 2]), race: r.weighted(['black_african', 'coloured', 'indian_asian', 'white'], [78, 10, 4, 8]), city: LOCATIONS[profile.location]!.city, disability: r.chance(0.06) },
          [{ type: 'id_document', uploaded: true }, { type: 'matric_certificate', uploaded: verification !== 'pending' || r.chance(0.5) }], iso(start - 20 * DAY), iso(start)]);
        if (verification !== 'pending') {
          b.verifications.add([world.nextId(K.verification), enrollmentId, world.memberUserId(org, 0), 'matric_certificate', verification === 'verified' ? 'approved' : 'rejected',
            verification === 'rejected' ? 'Document could not be verified' : null, iso(start - 5 * DAY)]);
        }
      }
    }
  }
  return b;
}
