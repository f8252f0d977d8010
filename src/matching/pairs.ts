/**
 * Training pairs for the encoder. From the platform's own data: opportunity title ↔ its
 * skills, opportunity title ↔ its description, a candidate's past title ↔ their skills,
 * skill name ↔ each synonym and its French name. From an O*NET directory a user points at
 * (nothing is downloaded): alternate title ↔ occupation, occupation ↔ its technology
 * skills, task ↔ occupation.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { TextPair } from './train-encoder.js';

export async function platformPairs(db: Knex, limit = 200_000): Promise<TextPair[]> {
  const pairs: TextPair[] = [];
  const opportunities = await db.raw(`
    SELECT o.title, left(o.description, 400) AS description, string_agg(s.skill_name, ', ' ORDER BY os.requirement, s.skill_name) AS skills
    FROM opportunities o LEFT JOIN opportunity_skills os ON os.opportunity_id = o.id LEFT JOIN skills s ON s.id = os.skill_id
    GROUP BY o.id ORDER BY o.id LIMIT ?`, [limit]);
  for (const row of opportunities.rows) {
    if (row.skills) pairs.push({ a: row.title, b: row.skills, source: 'opportunity title ↔ skills' });
    if (row.description) pairs.push({ a: row.title, b: row.description, source: 'opportunity title ↔ description' });
  }
  const experience = await db.raw(`
    SELECT e.job_title, string_agg(s.skill_name, ', ' ORDER BY cs.is_primary_skill DESC, s.skill_name) AS skills
    FROM candidate_experience e JOIN candidate_skills cs ON cs.candidate_id = e.candidate_id JOIN skills s ON s.id = cs.skill_id
    WHERE e.job_title IS NOT NULL GROUP BY e.id ORDER BY e.id LIMIT ?`, [limit]);
  for (const row of experience.rows) pairs.push({ a: row.job_title, b: row.skills, source: 'past title ↔ skills' });
  const skills = await db('skills').select('skill_name', 'skill_name_fr', 'synonyms').orderBy('slug');
  for (const skill of skills) {
    for (const synonym of (skill.synonyms ?? []) as string[]) pairs.push({ a: skill.skill_name, b: synonym, source: 'skill ↔ synonym' });
    if (skill.skill_name_fr && skill.skill_name_fr !== skill.skill_name) pairs.push({ a: skill.skill_name, b: skill.skill_name_fr, source: 'skill ↔ French name' });
  }
  return pairs;
}

async function readTable(dir: string, file: string): Promise<Array<Record<string, string>>> {
  const text = await readFile(path.join(dir, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`O*NET: cannot read ${path.join(dir, file)} (${error.code ?? error.message}); point --onet at the directory holding the O*NET text files`);
  });
  const [header, ...lines] = text.split(/\r?\n/).filter(Boolean);
  const columns = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [columns[i]!, value])));
}

export async function onetPairs(dir: string, perOccupationSkills = 6): Promise<TextPair[]> {
  const occupations = new Map((await readTable(dir, 'Occupation Data.txt')).map((row) => [row['O*NET-SOC Code']!, row.Title!]));
  const pairs: TextPair[] = [];
  for (const row of await readTable(dir, 'Alternate Titles.txt')) {
    const occupation = occupations.get(row['O*NET-SOC Code']!);
    if (occupation && row['Alternate Title']) pairs.push({ a: row['Alternate Title'], b: occupation, source: 'O*NET alternate title ↔ occupation' });
  }
  const bySoc = new Map<string, string[]>();
  for (const row of await readTable(dir, 'Technology Skills.txt')) bySoc.set(row['O*NET-SOC Code']!, [...(bySoc.get(row['O*NET-SOC Code']!) ?? []), row.Example!]);
  for (const [soc, examples] of bySoc) {
    const occupation = occupations.get(soc);
    if (!occupation) continue;
    for (let i = 0; i < examples.length; i += perOccupationSkills) pairs.push({ a: occupation, b: examples.slice(i, i + perOccupationSkills).join(', '), source: 'O*NET occupation ↔ technology skills' });
  }
  for (const row of await readTable(dir, 'Task Statements.txt')) {
    const occupation = occupations.get(row['O*NET-SOC Code']!);
    if (occupation && row.Task) pairs.push({ a: row.Task, b: occupation, source: 'O*NET task ↔ occupation' });
  }
  return pairs;
}

export function summarise(pairs: TextPair[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pair of pairs) counts[pair.source] = (counts[pair.source] ?? 0) + 1;
  return counts;
}
