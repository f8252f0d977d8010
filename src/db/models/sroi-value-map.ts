import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { ValueMapStatus } from './enums.js';
import { Organization } from './organization.js';
import { Program } from './program.js';
import { SroiValueMapOutcome } from './sroi-value-map-outcome.js';
import { User } from './user.js';

/** A versioned set of SROI financial proxies for one organisation (and optionally one programme). */
export class SroiValueMap extends TimestampedModel {
  static override tableName = 'sroi_value_maps';

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'sroi_value_maps.organization_id', to: 'organizations.id' },
    },
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'sroi_value_maps.program_id', to: 'programs.id' },
    },
    outcomes: {
      relation: Model.HasManyRelation,
      modelClass: SroiValueMapOutcome,
      join: { from: 'sroi_value_maps.id', to: 'sroi_value_map_outcomes.value_map_id' },
    },
    createdBy: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'sroi_value_maps.created_by', to: 'users.id' },
    },
  });

  declare organization_id: string;
  declare program_id: string | null;
  declare version: number;
  declare name: string;
  declare currency: string;
  declare discount_rate: Decimal;
  declare volunteer_hour_value: Decimal;
  declare status: ValueMapStatus;
  declare valid_from: Date | string;
  declare valid_to: Date | string | null;
  declare created_by: string | null;
  declare notes: string | null;

  declare organization?: Organization;
  declare program?: Program | null;
  declare outcomes?: SroiValueMapOutcome[];
  declare createdBy?: User | null;
}
