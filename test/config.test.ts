import { expect } from 'chai';
import { ENVIRONMENT, loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('config', () => {
  it('defaults to the embedded services', () => {
    const config = loadConfig({});
    expect(config.database.embedded).to.equal(true);
    expect(config.database.url).to.equal('postgres://meridian:meridian@127.0.0.1:54329/meridian');
    expect(config.search).to.include({ embedded: true, engine: 'opensearch', url: 'http://127.0.0.1:9250', indexPrefix: '' });
  });

  it('uses DATABASE_URL and SEARCH_URL when given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', SEARCH_URL: 'https://search:9200', SEARCH_ENGINE: 'elasticsearch' });
    expect(config.database).to.include({ embedded: false, url: 'postgres://u:p@db:5432/x' });
    expect(config.search).to.include({ embedded: false, engine: 'elasticsearch' });
  });

  it('reports every invalid variable at once, by name', () => {
    try {
      loadConfig({ PG_PORT: '70000', SEARCH_ENGINE: 'solr', DATABASE_URL: 'mysql://x', INDEX_PREFIX: 'Bad Prefix', OPENSEARCH_HEAP_MB: '10' });
      expect.fail('loadConfig accepted an invalid environment');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const problems = (error as ConfigError).details!.problems as string[];
      for (const name of ['PG_PORT', 'SEARCH_ENGINE', 'DATABASE_URL', 'INDEX_PREFIX', 'OPENSEARCH_HEAP_MB']) {
        expect(problems.some((p) => p.startsWith(name)), name).to.equal(true);
      }
      expect((error as ConfigError).code).to.equal('config_invalid');
    }
  });

  it('refuses Elasticsearch without a URL: only OpenSearch runs locally', () => {
    expect(() => loadConfig({ SEARCH_ENGINE: 'elasticsearch' })).to.throw(ConfigError, /SEARCH_URL/);
  });

  it('documents every variable it reads', async () => {
    const source = await import('node:fs/promises').then((fs) => fs.readFile(new URL('../src/config.ts', import.meta.url), 'utf8'));
    const read = new Set([...source.matchAll(/(?:text|port|integer|oneOf|url)\('([A-Z_]+)'/g)].map((m) => m[1]!));
    const documented = new Set(ENVIRONMENT.map((v) => v.name));
    expect([...read].filter((name) => !documented.has(name))).to.deep.equal([]);
  });
});
