import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { ProgramType } from './enums.js';
import { BuddyMatch } from './buddy-match.js';
import { Investment } from './investment.js';
import { Organization } from './organization.js';
import { ProgramEnrollment } from './program-enrollment.js';
import { ProgrammeSession } from './programme-session.js';
import { SroiValueMap } from './sroi-value-map.js';

/** A CSR programme (TEEI): buddy, language, mentorship or upskilling. */
export class Program extends TimestampedModel {
  static override tableName = 'programs';

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'programs.organization_id', to: 'organizations.id' },
    },
    enrollments: {
      relation: Model.HasManyRelation,
      modelClass: ProgramEnrollment,
      join: { from: 'programs.id', to: 'program_enrollments.program_id' },
    },
    sessions: {
      relation: Model.HasManyRelation,
      modelClass: ProgrammeSession,
      join: { from: 'programs.id', to: 'sessions.program_id' },
    },
    buddyMatches: {
      relation: Model.HasManyRelation,
      modelClass: BuddyMatch,
      join: { from: 'programs.id', to: 'buddy_matches.program_id' },
    },
    investments: {
      relation: Model.HasManyRelation,
      modelClass: Investment,
      join: { from: 'programs.id', to: 'investments.program_id' },
    },
    valueMaps: {
      relation: Model.HasManyRelation,
      modelClass: SroiValueMap,
      join: { from: 'programs.id', to: 'sroi_value_maps.program_id' },
    },
  });

  declare organization_id: string;
  declare name: string;
  declare program_type: ProgramType;
  declare description: string | null;
  declare country: string | null;
  declare start_date: Date | string | null;
  declare end_date: Date | string | null;
  declare status: 'planned' | 'active' | 'completed' | 'cancelled';

  declare organization?: Organization;
  declare enrollments?: ProgramEnrollment[];
  declare sessions?: ProgrammeSession[];
  declare buddyMatches?: BuddyMatch[];
  declare investments?: Investment[];
  declare valueMaps?: SroiValueMap[];
}
