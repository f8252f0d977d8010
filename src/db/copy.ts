/**
 * Bulk loading with COPY ... FROM STDIN in Postgres' text format. Rows are encoded into
 * per-table buffers and streamed in large chunks; encoding is the hot path of the demo
 * loader, so it avoids regexes and allocations where a value needs no escaping.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export type CopyValue = string | number | boolean | null | undefined | Date | PgArray | object;

/**
 * A value for a Postgres array column (text[], enum[]). Plain JS arrays and objects are
 * encoded as JSON, for jsonb columns; the two cannot be told apart from the value alone.
 */
export class PgArray {
  constructor(readonly items: readonly string[]) {}
}

export const pgArrayOf = (items: readonly string[]) => new PgArray(items);

const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function escapeCopyText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return out;
}

/** A Postgres array literal: {"a","b"}. */
export function pgArray(items: readonly string[]): string {
  if (items.length === 0) return '{}';
  return '{' + items.map((item) => '"' + item.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
}

export function encodeCopyValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escapeCopyText(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot COPY a non-finite number (${value})`);
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (value instanceof PgArray) return escapeCopyText(pgArray(value.items));
      return escapeCopyText(JSON.stringify(value));
  }
}

/** Rows for one table, accumulated as COPY text. */
export class TableBuffer {
  readonly table: string;
  readonly columns: readonly string[];
  private chunks: string[] = [];
  private pending = '';
  rows = 0;

  constructor(table: string, columns: readonly string[]) {
    this.table = table;
    this.columns = columns;
  }

  add(values: readonly CopyValue[]): void {
    if (values.length !== this.columns.length) {
      throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    }
    let line = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) line += '\t';
      line += encodeCopyValue(values[i]!);
    }
    this.pending += line + '\n';
    this.rows++;
    if (this.pending.length > 1 << 16) {
      this.chunks.push(this.pending);
      this.pending = '';
    }
  }

  /** Takes the buffered text, leaving the buffer empty. */
  drain(): { text: string[]; rows: number } {
    if (this.pending) this.chunks.push(this.pending);
    const out = { text: this.chunks, rows: this.rows };
    this.chunks = [];
    this.pending = '';
    this.rows = 0;
    return out;
  }
}

/** Streams the text chunks into `table` with COPY on an open client (inside its transaction). */
export async function copyChunks(client: pg.ClientBase, table: string, columns: readonly string[], chunks: string[]): Promise<void> {
  if (chunks.length === 0) return;
  const quoted = columns.map((c) => '"' + c + '"').join(', ');
  const stream = client.query(copyFrom(`COPY "${table}" (${quoted}) FROM STDIN`));
  await pipeline(Readable.from(chunks, { objectMode: false }), stream);
}
