import { expect } from 'chai';
import { encodeCopyValue, escapeCopyText, pgArray, pgArrayOf, TableBuffer } from '../src/db/copy.js';
import { harness } from './harness.js';
import { copyChunks } from '../src/db/copy.js';
import pg from 'pg';

describe('COPY text encoding', () => {
  it('escapes the characters COPY treats specially', () => {
    expect(escapeCopyText('a\tb\nc\\d\re')).to.equal('a\\tb\\nc\\\\d\\re');
    expect(escapeCopyText('plain')).to.equal('plain');
    expect(encodeCopyValue(null)).to.equal('\\N');
    expect(encodeCopyValue(true)).to.equal('t');
    expect(encodeCopyValue(pgArrayOf(['IDP', 'with "quote"']))).to.equal('{"IDP","with \\\\"quote\\\\""}');
    expect(encodeCopyValue(['a', 1])).to.equal('["a",1]');
    expect(pgArray([])).to.equal('{}');
    expect(() => encodeCopyValue(Number.NaN)).to.throw(TypeError);
  });

  it('round-trips awkward text through a real COPY', async () => {
    const client = new pg.Client({ connectionString: harness().config.database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE copy_probe (t text, j jsonb, a text[], n numeric, b boolean)');
      const buffer = new TableBuffer('copy_probe', ['t', 'j', 'a', 'n', 'b']);
      const awkward = 'tab\there\nnew line \\ backslash — é ✓ "quotes"';
      buffer.add([awkward, { note: awkward }, pgArrayOf(['x', 'y z', awkward]), '12.50', false]);
      buffer.add([null, [1, 'two'], pgArrayOf([]), null, null]);
      const { text } = buffer.drain();
      await copyChunks(client, 'copy_probe', ['t', 'j', 'a', 'n', 'b'], text);
      const { rows } = await client.query('SELECT * FROM copy_probe ORDER BY t NULLS LAST');
      expect(rows[0]).to.deep.equal({ t: awkward, j: { note: awkward }, a: ['x', 'y z', awkward], n: '12.50', b: false });
      expect(rows[1]).to.deep.equal({ t: null, j: [1, 'two'], a: [], n: null, b: null });
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});
