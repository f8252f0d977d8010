import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { decimal, integer, text } from './schema.js';
import { SroiValueMap } from './sroi-value-map.js';

export class SroiValueMapOutcome extends TimestampedModel {
  static override tableName = 'sroi_value_map_outcomes';

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: [
      'outcome_key', 'description', 'indicator', 'financial_proxy', 'proxy_source',
      'deadweight', 'attribution', 'displacement', 'drop_off', 'benefit_period_years',
    ],
    properties: {
      id: text({ format: 'uuid' }),
      value_map_id: text({ format: 'uuid' }),
      outcome_key: text({ minLength: 1, maxLength: 60 }),
      description: text({ maxLength: 300 }),
      indicator: text({ maxLength: 300 }),
      financial_proxy: decimal('nonNegative'),
      proxy_source: text({ minLength: 1 }),
      deadweight: decimal('unit'),
      attribution: decimal('unit'),
      displacement: decimal('unit'),
      drop_off: decimal('unit'),
      benefit_period_years: integer(1, 30),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    valueMap: {
      relation: Model.BelongsToOneRelation,
      modelClass: SroiValueMap,
      join: { from: 'sroi_value_map_outcomes.value_map_id', to: 'sroi_value_maps.id' },
    },
  });

  declare value_map_id: string;
  declare outcome_key: string;
  declare description: string;
  declare indicator: string;
  declare financial_proxy: Decimal;
  /** Where the proxy's value comes from, so a funder can check it. */
  declare proxy_source: string;
  declare deadweight: Decimal;
  declare attribution: Decimal;
  declare displacement: Decimal;
  declare drop_off: Decimal;
  declare benefit_period_years: number;

  declare valueMap?: SroiValueMap;
}
