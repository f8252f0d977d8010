import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { Candidate } from './candidate.js';
import { Opportunity } from './opportunity.js';

export class Location extends TimestampedModel {
  static override tableName = 'locations';

  static override relationMappings = (): RelationMappings => ({
    candidates: {
      relation: Model.HasManyRelation,
      modelClass: Candidate,
      join: { from: 'locations.id', to: 'candidates.location_id' },
    },
    opportunities: {
      relation: Model.HasManyRelation,
      modelClass: Opportunity,
      join: { from: 'locations.id', to: 'opportunities.location_id' },
    },
  });

  declare name: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  declare country: string;
  declare region: string;
  declare city: string;
  declare postal_code: string | null;
  declare address: string | null;
  declare latitude: Decimal;
  declare longitude: Decimal;

  declare candidates?: Candidate[];
  declare opportunities?: Opportunity[];
}
