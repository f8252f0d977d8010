#!/usr/bin/env node
// Runs one TypeScript entry file (benchmarks, scripts) with tsx: `node bin/run-ts.js bench/index.ts -- args`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const [entry] = process.argv.splice(2, 1);
if (!entry) {
  console.error('usage: node bin/run-ts.js <file.ts> [args]');
  process.exit(2);
}
await import(pathToFileURL(path.resolve(entry)).href);
