/** Fixed reference content of the demo world: sources, roles, plans, institutions, SROI proxies. */
import type { OrgType, Region } from './world.js';

export const DATA_SOURCES = [
  { name: 'Emploi Cameroun (partner feed)', type: 'job_site', url: 'https://partners.example.cm/feed', country: 'CM', schedule: 'hourly' },
  { name: 'FNE job board', type: 'government_registry', url: 'https://fne.example.cm/offres', country: 'CM', schedule: 'daily' },
  { name: 'Jobberman Nigeria (partner feed)', type: 'job_site', url: 'https://feed.example.ng/jobs', country: 'NG', schedule: 'hourly' },
  { name: 'MINEFOP training catalogue', type: 'training_catalogue', url: 'https://minefop.example.cm/catalogue', country: 'CM', schedule: 'weekly' },
  { name: 'SETA learnership registry', type: 'government_registry', url: 'https://seta.example.za/learnerships', country: 'ZA', schedule: 'daily' },
  { name: 'UNHCR livelihoods partners', type: 'partner_feed', url: 'https://livelihoods.example.org/api', country: 'CM', schedule: 'daily' },
  { name: 'EURES vacancies', type: 'api', url: 'https://eures.example.eu/api', country: 'BE', schedule: 'daily' },
  { name: 'Manual entry', type: 'manual', url: null, country: null, schedule: 'never' },
] as const;

export const RESOURCES = ['candidates', 'opportunities', 'applications', 'introductions', 'reports', 'organizations', 'users', 'cohorts', 'programs', 'models'];

export const ROLES = [
  { name: 'administrator', display: 'Administrator', description: 'Runs the platform', grants: RESOURCES.map((r) => `${r}:CREATE|READ|UPDATE|DELETE|EXPORT|MANAGE`) },
  { name: 'recruiter', display: 'Recruiter', description: 'Searches candidates and sends introductions', grants: ['candidates:READ', 'opportunities:CREATE|READ|UPDATE', 'applications:READ|UPDATE', 'introductions:CREATE|READ'] },
  { name: 'beneficiary', display: 'Beneficiary', description: 'Job seeker receiving recommendations', grants: ['opportunities:READ', 'applications:CREATE|READ'] },
  { name: 'funder', display: 'Funder', description: 'Reads impact reports for their organisation', grants: ['reports:READ|EXPORT', 'programs:READ'] },
  { name: 'institution_admin', display: 'Institution administrator', description: 'Manages cohorts and verifies documents', grants: ['cohorts:CREATE|READ|UPDATE|MANAGE', 'reports:READ|EXPORT'] },
  { name: 'ngo_partner', display: 'NGO partner', description: 'Publishes opportunities for vulnerable groups', grants: ['opportunities:CREATE|READ|UPDATE', 'reports:READ'] },
  { name: 'volunteer', display: 'Volunteer', description: 'Runs sessions and buddy activities', grants: ['programs:READ'] },
];
export const ROLE_OF_ORG_TYPE: Record<OrgType, number> = { employer: 1, private_sector: 1, ngo: 5, government: 5, training_provider: 4, institution: 4, sponsor: 3, csr_company: 3 };
export const MEMBER_USER_TYPE: Record<OrgType, string> = { employer: 'HR_PARTNER', private_sector: 'PRIVATE_SECTOR', ngo: 'NGO_PARTNER', government: 'GOVERNMENT_PARTNER', training_provider: 'INSTITUTION_ADMIN', institution: 'INSTITUTION_ADMIN', sponsor: 'SPONSOR_CONTACT', csr_company: 'COMPANY_USER' };
export const MEMBER_TITLES: Record<OrgType, string[]> = {
  employer: ['Head of Talent Acquisition', 'HR Business Partner', 'Talent Partner', 'Chief People Officer'],
  private_sector: ['HR Manager', 'Recruitment Lead', 'Operations Manager'],
  ngo: ['Livelihoods Officer', 'Programme Manager', 'Protection Officer'],
  government: ['Employment Services Officer', 'Director of Labour', 'Programme Coordinator'],
  training_provider: ['Training Coordinator', 'Academic Registrar'],
  institution: ['Learnership Administrator', 'Institution Super Admin'],
  sponsor: ['Skills Development Facilitator', 'Sponsorship Manager'],
  csr_company: ['CSR Manager', 'Head of Sustainability', 'Impact Analyst'],
};
export const PLANS = [
  { name: 'Trial', tier: 'trial', description: '14-day trial', monthly: 0, annual: 0, credits: 3, users: 1, roles: 1, support: 'basic', features: ['search'] },
  { name: 'Basic', tier: 'basic', description: 'For small HR teams', monthly: 150_000, annual: 1_500_000, credits: 10, users: 2, roles: 3, support: 'standard', features: ['search', 'introductions'] },
  { name: 'Professional', tier: 'professional', description: 'For growing companies', monthly: 450_000, annual: 4_500_000, credits: 40, users: 5, roles: 10, support: 'standard', features: ['search', 'introductions', 'talent_pools', 'confidential_roles'] },
  { name: 'Enterprise', tier: 'enterprise', description: 'For large employers', monthly: 1_200_000, annual: 12_000_000, credits: 150, users: null, roles: null, support: 'priority', features: ['search', 'introductions', 'talent_pools', 'confidential_roles', 'analytics', 'api'] },
] as const;
export const ORG_DESCRIPTIONS: Record<OrgType, string> = {
  employer: '{name} is a {industry} employer based in {city}.',
  private_sector: '{name} works in {industry} from {city} and hires locally.',
  ngo: '{name} supports displaced and returning people around {city} with livelihoods and protection services.',
  government: '{name} delivers public employment services in and around {city}.',
  training_provider: '{name} runs vocational and digital courses in {city}.',
  institution: '{name} is a private training institution in {city} running learnerships and internships.',
  sponsor: '{name} sponsors learnership cohorts as part of its skills development plan.',
  csr_company: '{name} funds language, mentoring, buddy and upskilling programmes for newcomers.',
};
export const EMAIL_DOMAINS = ['mail.example.com', 'post.example.org', 'inbox.example.net', 'webmail.example.cm', 'mail.example.ng', 'mail.example.co.za'];
export const INSTITUTIONS: Record<Region, string[]> = {
  CM: ['Université de Yaoundé I', 'Université de Douala', 'University of Buea', 'Université de Dschang', 'Lycée technique de Bafoussam', 'Centre de formation professionnelle de Garoua'],
  NG: ['University of Lagos', 'University of Ibadan', 'Obafemi Awolowo University', 'Ahmadu Bello University', 'Lagos Business School', 'Yaba College of Technology'],
  ZA: ['University of the Witwatersrand', 'University of Cape Town', 'Tshwane University of Technology', 'Ekurhuleni East TVET College', 'Durban University of Technology'],
  EU: ['Humboldt-Universität zu Berlin', 'Université Lyon 2', 'University of Oslo', 'Universiteit van Amsterdam', 'KU Leuven', 'Volkshochschule Berlin Mitte'],
};
export const FIELDS_OF_STUDY = ['Accounting', 'Business Administration', 'Computer Science', 'Civil Engineering', 'Nursing', 'Agriculture', 'Economics', 'Education', 'Electrical Installation', 'Hospitality', 'Logistics', 'Law', 'Public Health', 'Marketing', 'Mechanical Engineering'];
export const DEGREE_OF_LEVEL: Record<string, string> = { PRIMARY: 'primary', SECONDARY: 'secondary', VOCATIONAL: 'vocational_certificate', UNDERGRADUATE: 'bachelor', POSTGRADUATE: 'master' };
export const DURATION_OF_DEGREE: Record<string, number> = { primary: 6, secondary: 5, vocational_certificate: 2, bachelor: 4, master: 2 };
export const CERTIFICATIONS: Array<[string, string]> = [
  ['Forklift Operator Licence', 'National Transport Authority'], ['ICDL Workforce', 'ICDL Foundation'], ['PMP', 'Project Management Institute'],
  ['ACCA', 'Association of Chartered Certified Accountants'], ['ICAN Chartered Accountant', 'Institute of Chartered Accountants of Nigeria'],
  ['First Aid Level 1', 'Red Cross'], ['HACCP Level 2', 'Food Safety Authority'], ['CCNA', 'Cisco'], ['AWS Cloud Practitioner', 'Amazon Web Services'],
  ['Solar PV Installer', 'GIZ Energy Academy'], ['CIPD Level 5', 'Chartered Institute of Personnel and Development'],
];
export const PROGRAM_NAMES: Record<string, string> = { buddy: 'Buddy Programme', language: 'Language Café', mentorship: 'Career Mentoring', upskilling: 'Digital Upskilling' };
export const PROGRAM_DESCRIPTIONS: Record<string, string> = {
  buddy: 'Newcomers are paired with an employee buddy for a year of practical and social support.',
  language: 'Weekly conversation sessions with volunteer speakers, tracked against CEFR levels.',
  mentorship: 'One-to-one career mentoring by employees towards a first job in the new country.',
  upskilling: 'Funded places on online courses with credentials employers recognise.',
};
/**
 * Default SROI proxies (EUR). Sources are named so a funder can check them; deadweight,
 * attribution and displacement follow the ranges in Social Value International's guidance.
 */
export const VALUE_MAP_OUTCOMES = [
  { key: 'employment', description: 'Participant enters paid work', indicator: 'Placements recorded within the period', proxyEur: 14_500, source: 'Annual fiscal saving and earnings gain of a job entry (HACT / national statistics wage data)', deadweight: '0.250', attribution: '0.300', displacement: '0.100', dropOff: '0.200', years: 3 },
  { key: 'language_gain', description: 'Participant gains a CEFR level', indicator: 'CEFR steps gained in language sessions', proxyEur: 1_200, source: 'Cost of an equivalent 60-hour language course (adult education price lists)', deadweight: '0.200', attribution: '0.250', displacement: '0.000', dropOff: '0.100', years: 2 },
  { key: 'job_readiness', description: 'Participant becomes job-ready', indicator: 'Job-readiness score gain ≥ 0.15 over baseline', proxyEur: 2_100, source: 'Cost of a 12-week employability programme (public employment service tender prices)', deadweight: '0.300', attribution: '0.300', displacement: '0.000', dropOff: '0.250', years: 2 },
  { key: 'wellbeing', description: 'Participant reports better wellbeing', indicator: 'Buddy check-ins moving to good or great', proxyEur: 1_800, source: 'Wellbeing valuation of improved life satisfaction (HACT Social Value Bank)', deadweight: '0.200', attribution: '0.400', displacement: '0.000', dropOff: '0.300', years: 1 },
  { key: 'credential', description: 'Participant earns a recognised credential', indicator: 'Course completions with a credential', proxyEur: 950, source: 'Market price of the equivalent certified course', deadweight: '0.150', attribution: '0.200', displacement: '0.050', dropOff: '0.150', years: 3 },
] as const;
