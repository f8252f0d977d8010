import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { PeriodType } from './enums.js';
import { Organization } from './organization.js';
import { SroiValueMap } from './sroi-value-map.js';

/** One company's SROI and VIS figures for one period, written by the pipelines. */
export class MetricsCompanyPeriod extends TimestampedModel {
  static override tableName = 'metrics_company_period';
  static override jsonAttributes = ['parameters', 'breakdown'];

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'metrics_company_period.organization_id', to: 'organizations.id' },
    },
    valueMap: {
      relation: Model.BelongsToOneRelation,
      modelClass: SroiValueMap,
      join: { from: 'metrics_company_period.value_map_id', to: 'sroi_value_maps.id' },
    },
  });

  declare organization_id: string;
  declare period_type: PeriodType;
  declare period_start: Date | string;
  declare period_end: Date | string;
  declare participants_count: number;
  declare volunteers_count: number;
  declare sessions_count: number;
  declare volunteer_hours: Decimal;
  declare placements_count: number;
  declare avg_integration_score: Decimal | null;
  declare avg_language_level: Decimal | null;
  declare avg_job_readiness: Decimal | null;
  declare avg_wellbeing: Decimal | null;
  declare investment_total: Decimal | null;
  declare outcomes_present_value: Decimal | null;
  declare sroi_ratio: Decimal | null;
  declare sroi_low: Decimal | null;
  declare sroi_high: Decimal | null;
  declare payback_months: Decimal | null;
  declare vis_score: Decimal | null;
  declare value_map_id: string | null;
  declare value_map_version: number | null;
  declare parameters: Record<string, unknown>;
  declare breakdown: Record<string, unknown>;
  declare computed_at: Date;

  declare organization?: Organization;
  declare valueMap?: SroiValueMap | null;
}
