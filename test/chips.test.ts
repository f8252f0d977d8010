/**
 * Explainability chips: the skills count is exact (duplicates, declared and inferred told
 * apart), French texts, signs, and a vulnerable-group category never shown to a recruiter.
 * Property-based: for any skill sets, "x of y" equals a set intersection computed here.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { chipsFor, countSkills, type MatchFacts } from '../src/domain/chips.js';

const skill = (slug: string, declared = true) => ({ slug, label: slug.replace(/-/g, ' '), labelFr: `fr ${slug}`, declared });

const base: MatchFacts = {
  audience: 'beneficiary', language: 'en',
  requiredSkills: [skill('welding'), skill('forklift-licence'), skill('first-aid'), skill('welding')],
  preferredSkills: [skill('english')],
  candidateSkills: [skill('welding'), skill('first-aid', false), skill('english'), skill('driving')],
  distanceKm: 12.4, remote: false, educationRequired: 'VOCATIONAL', educationRank: { required: 3, held: 3 },
  experience: { min: 2, max: 5, held: 4 }, salary: { offeredMax: 300_000, expectedMin: 250_000, sameCurrency: true },
  noticeDays: 14, languages: { met: ['fr'], missing: [] }, freshnessDays: 3, eligibleByCategory: true, score: 0.8,
};

describe('chips', () => {
  it('counts required skills exactly, telling declared from inferred, and names what is missing', () => {
    const chips = chipsFor(base);
    expect(chips[0]).to.include({ type: 'band', text: 'Strong match' });
    expect(chips.find((c) => c.type === 'skills')).to.include({ text: '2 of 3 required skills (1 inferred)', sign: 1 });
    expect(chips.find((c) => c.type === 'missing_skills')!.text).to.equal('Missing: forklift licence');
    expect(chips.find((c) => c.type === 'distance')!.text).to.equal('12 km away');
    expect(chips.find((c) => c.type === 'education')!.text).to.equal('Education: vocational ✓');
    expect(chips.find((c) => c.type === 'salary')!.sign).to.equal(1);
  });

  it('speaks French to French speakers', () => {
    const chips = chipsFor({ ...base, language: 'fr' });
    expect(chips.find((c) => c.type === 'skills')!.text).to.equal('2 compétences requises sur 3 (1 déduite)');
    expect(chips.find((c) => c.type === 'missing_skills')!.text).to.equal('Manque : fr forklift-licence');
  });

  it('never gives a recruiter a vulnerable-group category as a reason', () => {
    const recruiter = chipsFor({ ...base, audience: 'recruiter' });
    expect(recruiter.map((c) => c.type)).to.not.include('eligibility');
    expect(JSON.stringify(recruiter)).to.not.match(/eligible|éligible|IDP|migrant/i);
    expect(chipsFor(base).map((c) => c.type)).to.include('eligibility');
  });

  it('"x of y" is always the size of a set intersection (property)', () => {
    const slug = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    fc.assert(fc.property(fc.array(slug, { maxLength: 8 }), fc.array(fc.tuple(slug, fc.boolean()), { maxLength: 8 }), (required, held) => {
      const facts = { requiredSkills: required.map((s) => skill(s)), preferredSkills: [], candidateSkills: held.map(([s, d]) => skill(s, d)) };
      const count = countSkills(facts);
      const need = new Set(required);
      const have = new Set(held.map(([s]) => s));
      expect(count.required).to.equal(need.size);
      expect(count.matched).to.equal([...need].filter((s) => have.has(s)).length);
      expect(count.declared + count.inferred).to.equal(count.matched);
      expect(count.missing.map((s) => s.slug).sort()).to.deep.equal([...need].filter((s) => !have.has(s)).sort());
      const chip = chipsFor({ ...base, ...facts }).find((c) => c.type === 'skills');
      if (need.size > 0) expect(chip!.text.startsWith(`${count.matched} of ${need.size} required skills`)).to.equal(true);
      else expect(chip).to.equal(undefined);
    }), { numRuns: 300, seed: 42 });
  });
});
