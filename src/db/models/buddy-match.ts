import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { BuddyMatchStatus } from './enums.js';
import { Program } from './program.js';
import { User } from './user.js';

export class BuddyMatch extends TimestampedModel {
  static override tableName = 'buddy_matches';

  static override relationMappings = (): RelationMappings => ({
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'buddy_matches.program_id', to: 'programs.id' },
    },
    participant: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'buddy_matches.participant_id', to: 'users.id' },
    },
    buddy: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'buddy_matches.buddy_id', to: 'users.id' },
    },
  });

  declare program_id: string | null;
  declare participant_id: string;
  declare buddy_id: string;
  declare matched_at: Date;
  declare status: BuddyMatchStatus;
  declare ended_at: Date | null;

  declare program?: Program | null;
  declare participant?: User;
  declare buddy?: User;
}
