#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on the fly so that a fresh clone needs
// no build step before its first command.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
