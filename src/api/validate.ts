/**
 * Request validation at the edge. A `QueryReader` reads typed values out of a query string
 * (or a stored JSON query), collects every problem instead of stopping at the first, and
 * refuses parameters it does not know — a misspelt filter silently ignored would return
 * the wrong people. `done()` throws one ValidationError listing every problem.
 */
import { FIRST_DAY, isCalendarDay, LAST_DAY } from '../domain/periods.js';
import { ValidationError } from '../errors.js';

export type RawQuery = Record<string, unknown>;

export interface Problem {
  param: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export class QueryReader {
  private readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly raw: RawQuery) {}

  private values(name: string): string[] | undefined {
    this.seen.add(name);
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    const strings: string[] = [];
    for (const item of list) {
      if (typeof item === 'number' || typeof item === 'boolean') strings.push(String(item));
      else if (typeof item === 'string') strings.push(item);
      else {
        this.problem(name, 'must be a string or a list of strings');
        return undefined;
      }
    }
    return strings;
  }

  problem(param: string, message: string): void {
    this.problems.push({ param, message });
  }

  /** One value; a repeated parameter is an error. */
  string(name: string, options: { max?: number } = {}): string | undefined {
    const values = this.values(name);
    if (!values || values.length === 0) return undefined;
    if (values.length > 1) return this.problem(name, 'may be given once'), undefined;
    const value = values[0]!.trim();
    if (value === '') return undefined;
    if (options.max !== undefined && value.length > options.max) return this.problem(name, `must be at most ${options.max} characters`), undefined;
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) return this.problem(name, 'must not contain control characters'), undefined;
    if (!isWellFormedText(value)) return this.problem(name, 'must be well-formed text (it has half of a UTF-16 surrogate pair)'), undefined;
    return value;
  }

  /** Repeated (`a=x&a=y`) or comma-separated (`a=x,y`) values. */
  list(name: string, options: { allowed?: readonly string[]; max?: number; pattern?: RegExp; patternHint?: string } = {}): string[] | undefined {
    const values = this.values(name);
    if (!values) return undefined;
    const items = [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
    if (items.length === 0) return undefined;
    const max = options.max ?? 50;
    if (items.length > max) return this.problem(name, `takes at most ${max} values`), undefined;
    const bad = items.filter((item) => (options.allowed && !options.allowed.includes(item)) || (options.pattern && !options.pattern.test(item)) || item.length > 100);
    if (bad.length > 0) {
      const hint = options.allowed ? `one of ${options.allowed.join(', ')}` : options.patternHint ?? 'valid values';
      return this.problem(name, `has values that are not ${hint}: ${bad.slice(0, 5).join(', ')}`), undefined;
    }
    return items;
  }

  uuids(name: string, max = 50): string[] | undefined {
    return this.list(name, { pattern: UUID, patternHint: 'UUIDs', max });
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name, { max: 100 });
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) return this.problem(name, `must be one of ${allowed.join(', ')}`), undefined;
    return value as T;
  }

  number(name: string, options: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const value = this.string(name, { max: 40 });
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) return this.problem(name, 'must be a number'), undefined;
    if (options.integer && !Number.isInteger(n)) return this.problem(name, 'must be a whole number'), undefined;
    if (options.min !== undefined && n < options.min) return this.problem(name, `must be at least ${options.min}`), undefined;
    if (options.max !== undefined && n > options.max) return this.problem(name, `must be at most ${options.max}`), undefined;
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name, { max: 10 });
    if (value === undefined) return undefined;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return this.problem(name, 'must be true or false'), undefined;
  }

  /** A calendar date or a full ISO timestamp. */
  date(name: string): string | undefined {
    const value = this.string(name, { max: 40 });
    if (value === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value)) || !isCalendarDay(value.slice(0, 10))) {
      return this.problem(name, `must be a calendar date (YYYY-MM-DD) or an ISO 8601 timestamp, from ${FIRST_DAY} to ${LAST_DAY}`), undefined;
    }
    // In UTC too (an offset can move it across the first or last day).
    const instant = new Date(value).toISOString();
    if (!isCalendarDay(instant.slice(0, 10))) return this.problem(name, `must be between ${FIRST_DAY} and ${LAST_DAY}`), undefined;
    return instant;
  }

  /** `lat,lon` in degrees. */
  point(name: string): { lat: number; lon: number } | undefined {
    const value = this.string(name, { max: 60 });
    if (value === undefined) return undefined;
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
    const lat = match ? Number(match[1]) : NaN;
    const lon = match ? Number(match[2]) : NaN;
    if (!match || Math.abs(lat) > 90 || Math.abs(lon) > 180) return this.problem(name, 'must be "lat,lon" in degrees (latitude −90…90, longitude −180…180)'), undefined;
    return { lat, lon };
  }

  /** Throws one ValidationError naming every problem and every unknown parameter. */
  done(): void {
    for (const name of Object.keys(this.raw)) if (!this.seen.has(name)) this.problem(name, 'is not a parameter of this endpoint');
    if (this.problems.length > 0) {
      const unknownOnly = this.problems.every((p) => p.message === 'is not a parameter of this endpoint');
      throw new ValidationError(
        `Invalid request: ${this.problems.map((p) => `${p.param} ${p.message}`).join('; ')}`,
        { problems: this.problems },
        unknownOnly ? 'unknown_parameter' : 'invalid_parameter',
      );
    }
  }
}

/** The parameter names a reader asks for (to check the OpenAPI document against it). */
export function parameterNames(read: (raw: RawQuery) => unknown): string[] {
  const names = new Set<string>();
  read(new Proxy({}, { get: (_target, key) => (typeof key === 'string' && names.add(key), undefined) }));
  return [...names].sort();
}

/**
 * Whether `text` has no unpaired UTF-16 surrogate. A JSON body can carry one (the escape \ud800 alone), and
 * Postgres refuses it in text and jsonb columns, which made such input a 500 further on.
 */
export function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
