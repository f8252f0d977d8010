/**
 * Small builders for the models' JSON schemas.
 *
 * Postgres numeric columns come back from pg as strings (src/db/knex.ts keeps them exact), so
 * a decimal property accepts a number or a decimal string. The string branch encodes the same
 * range as the number branch in its pattern, so a model read from the database re-validates
 * and "1.5" is refused for a 0..1 score just as 1.5 is.
 */
import type { JSONSchema } from 'objection';

export type DecimalRange = 'nonNegative' | 'unit' | 'percent';

const DECIMAL_RANGES: Record<DecimalRange, { minimum: number; maximum?: number; pattern: string }> = {
  nonNegative: { minimum: 0, pattern: '^\\d+(\\.\\d+)?$' },
  unit: { minimum: 0, maximum: 1, pattern: '^(0(\\.\\d+)?|1(\\.0+)?)$' },
  percent: { minimum: 0, maximum: 100, pattern: '^(100(\\.0+)?|\\d{1,2}(\\.\\d+)?)$' },
};

export function decimal(range: DecimalRange, options: { nullable?: boolean } = {}): JSONSchema {
  const { minimum, maximum, pattern } = DECIMAL_RANGES[range];
  const branches: JSONSchema[] = [
    maximum === undefined ? { type: 'number', minimum } : { type: 'number', minimum, maximum },
    { type: 'string', pattern },
  ];
  if (options.nullable) branches.push({ type: 'null' });
  return { anyOf: branches };
}

export function integer(minimum?: number, maximum?: number, options: { nullable?: boolean } = {}): JSONSchema {
  const schema: JSONSchema = { type: options.nullable ? ['integer', 'null'] : 'integer' };
  if (minimum !== undefined) schema.minimum = minimum;
  if (maximum !== undefined) schema.maximum = maximum;
  return schema;
}

export function oneOf(values: readonly string[], options: { nullable?: boolean } = {}): JSONSchema {
  return options.nullable ? { type: ['string', 'null'], enum: [...values, null] } : { type: 'string', enum: [...values] };
}

export function text(options: { maxLength?: number; minLength?: number; pattern?: string; nullable?: boolean; format?: string } = {}): JSONSchema {
  const { nullable, ...rest } = options;
  return { type: nullable ? ['string', 'null'] : 'string', ...rest };
}

export const uuid = (options: { nullable?: boolean } = {}): JSONSchema => text({ ...options, format: 'uuid' });
