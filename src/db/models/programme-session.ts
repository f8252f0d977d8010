import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { CEFR_LEVELS, SESSION_TYPES, type CefrLevel, type SessionType } from './enums.js';
import { decimal, integer, oneOf, text } from './schema.js';
import { Program } from './program.js';
import { User } from './user.js';

/**
 * A language or mentorship session of a CSR programme (table `sessions`). Named so it is
 * never mistaken for a login session, which Meridian does not store.
 */
export class ProgrammeSession extends TimestampedModel {
  static override tableName = 'sessions';
  static override jsonAttributes = ['topics', 'metadata'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['session_type', 'scheduled_at'],
    properties: {
      id: text({ format: 'uuid' }),
      external_session_id: text({ maxLength: 120, nullable: true }),
      session_type: oneOf(SESSION_TYPES),
      program_id: text({ format: 'uuid', nullable: true }),
      participant_id: text({ format: 'uuid' }),
      volunteer_id: text({ format: 'uuid', nullable: true }),
      duration_minutes: integer(1, 1440, { nullable: true }),
      // Normalised to 0..1 (the seeds' 1..5 stars are rescaled on import).
      rating: decimal('unit', { nullable: true }),
      feedback_text: text({ nullable: true }),
      language_level: oneOf(CEFR_LEVELS, { nullable: true }),
      topics: { type: 'array' },
      metadata: { type: 'object' },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'sessions.program_id', to: 'programs.id' },
    },
    participant: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'sessions.participant_id', to: 'users.id' },
    },
    volunteer: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'sessions.volunteer_id', to: 'users.id' },
    },
  });

  declare external_session_id: string | null;
  declare session_type: SessionType;
  declare program_id: string | null;
  declare participant_id: string;
  declare volunteer_id: string | null;
  declare scheduled_at: Date | string;
  declare completed_at: Date | string | null;
  declare duration_minutes: number | null;
  declare rating: Decimal | null;
  declare feedback_text: string | null;
  declare language_level: CefrLevel | null;
  declare topics: unknown[];
  declare metadata: Record<string, unknown>;

  declare program?: Program | null;
  declare participant?: User;
  declare volunteer?: User | null;
}
