import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import type { InvestmentType } from './enums.js';
import { Organization } from './organization.js';
import { Program } from './program.js';

/** A company's input to a programme: cash, in-kind (with amount and currency) or volunteer hours. */
export class Investment extends TimestampedModel {
  static override tableName = 'investments';

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'investments.organization_id', to: 'organizations.id' },
    },
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'investments.program_id', to: 'programs.id' },
    },
  });

  declare organization_id: string;
  declare program_id: string | null;
  declare investment_type: InvestmentType;
  declare amount: Decimal | null;
  declare currency: string | null;
  declare hours: Decimal | null;
  declare hourly_value: Decimal | null;
  declare description: string | null;
  declare invested_on: Date | string;

  declare organization?: Organization;
  declare program?: Program | null;
}
