/**
 * Explainability chips (DESIGN §6): short, typed, signed and weighted reasons, in English and
 * French, for why an opportunity suits a person or a person suits an opportunity. Pure: the
 * facts come in, the chips come out, so "x of y required skills" is counted in exactly one
 * place and is always exactly right. A vulnerable-group category may make a beneficiary
 * eligible, but it is never a chip shown to a recruiter.
 */
export type Language = 'en' | 'fr';
export type Audience = 'beneficiary' | 'recruiter';

export interface Chip {
  type: 'skills' | 'missing_skills' | 'preferred_skills' | 'distance' | 'remote' | 'education' | 'experience' | 'salary' | 'availability' | 'language' | 'freshness' | 'eligibility' | 'band';
  /** +1 for a reason for, −1 against, 0 neutral. */
  sign: 1 | -1 | 0;
  /** How much the reason weighed in the ranking, 0–1. */
  weight: number;
  text: string;
  data?: Record<string, unknown>;
}

export interface SkillRef {
  slug: string;
  label: string;
  labelFr?: string | null;
}

export interface MatchFacts {
  audience: Audience;
  language: Language;
  requiredSkills: SkillRef[];
  preferredSkills: SkillRef[];
  /** The candidate's skills; declared by the person or inferred from their history. */
  candidateSkills: Array<SkillRef & { declared: boolean }>;
  distanceKm: number | null;
  remote: boolean;
  educationRequired: string | null;
  educationRank: { required: number | null; held: number | null };
  experience: { min: number | null; max: number | null; held: number | null };
  salary: { offeredMax: number | null; expectedMin: number | null; sameCurrency: boolean };
  noticeDays: number | null;
  /** Required language codes the candidate speaks at B1 or better, and those they lack. */
  languages: { met: string[]; missing: string[] };
  /** Days since the opportunity was published (beneficiary) or the candidate was active (recruiter). */
  freshnessDays: number | null;
  /** Eligible only through their beneficiary category (shown to the beneficiary only). */
  eligibleByCategory: boolean;
  /** The overall match score, 0–1. */
  score: number;
  /** How much each feature weighed (from the ranker), by chip type. */
  weights?: Partial<Record<Chip['type'], number>>;
}

const t = (language: Language, en: string, fr: string) => (language === 'fr' ? fr : en);
const label = (skill: SkillRef, language: Language) => (language === 'fr' && skill.labelFr ? skill.labelFr : skill.label);

export interface SkillCount {
  required: number;
  matched: number;
  declared: number;
  inferred: number;
  missing: SkillRef[];
  preferredMatched: number;
}

/** The one count behind the "x of y required skills" chip (and the evaluation's check of it). */
export function countSkills(facts: Pick<MatchFacts, 'requiredSkills' | 'preferredSkills' | 'candidateSkills'>): SkillCount {
  const held = new Map(facts.candidateSkills.map((s) => [s.slug, s]));
  const required = [...new Map(facts.requiredSkills.map((s) => [s.slug, s])).values()];
  const matched = required.filter((s) => held.has(s.slug));
  return {
    required: required.length,
    matched: matched.length,
    declared: matched.filter((s) => held.get(s.slug)!.declared).length,
    inferred: matched.filter((s) => !held.get(s.slug)!.declared).length,
    missing: required.filter((s) => !held.has(s.slug)),
    preferredMatched: new Set(facts.preferredSkills.filter((s) => held.has(s.slug)).map((s) => s.slug)).size,
  };
}

export function chipsFor(facts: MatchFacts): Chip[] {
  const { language: lang } = facts;
  const w = (type: Chip['type'], fallback: number) => Math.round((facts.weights?.[type] ?? fallback) * 100) / 100;
  const chips: Chip[] = [];
  const skills = countSkills(facts);
  if (skills.required > 0) {
    const inferredNote = skills.inferred > 0 ? t(lang, ` (${skills.inferred} inferred)`, ` (${skills.inferred} déduite${skills.inferred > 1 ? 's' : ''})`) : '';
    chips.push({
      type: 'skills', sign: skills.matched === 0 ? -1 : 1, weight: w('skills', 0.35),
      text: t(lang, `${skills.matched} of ${skills.required} required skills${inferredNote}`, `${skills.matched} compétence${skills.matched > 1 ? 's' : ''} requise${skills.matched > 1 ? 's' : ''} sur ${skills.required}${inferredNote}`),
      data: { matched: skills.matched, required: skills.required, declared: skills.declared, inferred: skills.inferred },
    });
  }
  if (skills.missing.length > 0) {
    const names = skills.missing.slice(0, 3).map((s) => label(s, lang)).join(', ');
    chips.push({ type: 'missing_skills', sign: -1, weight: w('missing_skills', 0.15), text: t(lang, `Missing: ${names}`, `Manque : ${names}`), data: { slugs: skills.missing.map((s) => s.slug) } });
  }
  if (skills.preferredMatched > 0) {
    chips.push({ type: 'preferred_skills', sign: 1, weight: w('preferred_skills', 0.05), text: t(lang, `${skills.preferredMatched} preferred skill${skills.preferredMatched > 1 ? 's' : ''} too`, `Aussi ${skills.preferredMatched} compétence${skills.preferredMatched > 1 ? 's' : ''} souhaitée${skills.preferredMatched > 1 ? 's' : ''}`) });
  }
  if (facts.remote) chips.push({ type: 'remote', sign: 1, weight: w('remote', 0.1), text: t(lang, 'Remote', 'À distance') });
  else if (facts.distanceKm !== null) {
    const km = Math.round(facts.distanceKm);
    chips.push({ type: 'distance', sign: km <= 50 ? 1 : km <= 150 ? 0 : -1, weight: w('distance', 0.1), text: t(lang, `${km} km away`, `À ${km} km`), data: { km } });
  }
  if (facts.educationRequired && facts.educationRank.required !== null) {
    const meets = facts.educationRank.held !== null && facts.educationRank.held >= facts.educationRank.required;
    const level = facts.educationRequired.toLowerCase().replace(/_/g, ' ');
    chips.push({ type: 'education', sign: meets ? 1 : -1, weight: w('education', 0.1), text: meets ? t(lang, `Education: ${level} ✓`, `Formation : ${level} ✓`) : t(lang, `Education: ${level} required`, `Formation : ${level} requise`) });
  }
  const { min, max, held } = facts.experience;
  if (held !== null && (min !== null || max !== null)) {
    const within = (min === null || held >= min) && (max === null || held <= max + 2);
    chips.push({ type: 'experience', sign: within ? 1 : -1, weight: w('experience', 0.1), text: t(lang, `${held} years' experience${min !== null ? ` (${min}+ asked)` : ''}`, `${held} ans d'expérience${min !== null ? ` (${min}+ demandés)` : ''}`) });
  }
  if (facts.salary.sameCurrency && facts.salary.offeredMax !== null && facts.salary.expectedMin !== null) {
    const fits = facts.salary.expectedMin <= facts.salary.offeredMax;
    chips.push({ type: 'salary', sign: fits ? 1 : -1, weight: w('salary', 0.05), text: fits ? t(lang, 'Within the salary range', 'Dans la fourchette de salaire') : t(lang, 'Salary below expectations', 'Salaire sous les attentes') });
  }
  if (facts.noticeDays !== null && facts.audience === 'recruiter') {
    chips.push({ type: 'availability', sign: facts.noticeDays <= 30 ? 1 : 0, weight: w('availability', 0.03), text: facts.noticeDays === 0 ? t(lang, 'Available now', 'Disponible maintenant') : t(lang, `Available in ${facts.noticeDays} days`, `Disponible sous ${facts.noticeDays} jours`) });
  }
  if (facts.languages.met.length > 0) chips.push({ type: 'language', sign: 1, weight: w('language', 0.04), text: t(lang, `Speaks ${facts.languages.met.join(', ')}`, `Parle ${facts.languages.met.join(', ')}`) });
  if (facts.languages.missing.length > 0) chips.push({ type: 'language', sign: -1, weight: w('language', 0.04), text: t(lang, `Needs ${facts.languages.missing.join(', ')}`, `Requiert ${facts.languages.missing.join(', ')}`) });
  if (facts.freshnessDays !== null && facts.freshnessDays <= 14) {
    chips.push({ type: 'freshness', sign: 1, weight: w('freshness', 0.03), text: facts.audience === 'beneficiary' ? t(lang, 'New this fortnight', 'Nouveau cette quinzaine') : t(lang, 'Active recently', 'Actif récemment') });
  }
  // Eligibility through a vulnerable-group category is the beneficiary's to know, never a
  // reason shown to a recruiter.
  if (facts.eligibleByCategory && facts.audience === 'beneficiary') chips.push({ type: 'eligibility', sign: 1, weight: 0, text: t(lang, 'You are eligible for this programme', 'Vous êtes éligible à ce programme') });
  const band = facts.score >= 0.75 ? ['Strong match', 'Très bonne correspondance'] : facts.score >= 0.5 ? ['Good match', 'Bonne correspondance'] : ['Possible match', 'Correspondance possible'];
  chips.unshift({ type: 'band', sign: facts.score >= 0.5 ? 1 : 0, weight: 1, text: t(lang, band[0]!, band[1]!), data: { score: Math.round(facts.score * 1000) / 1000 } });
  return chips;
}
