#!/usr/bin/env node
// The `newsbrief` command. It runs the CLI compiled by esbuild: scripts/build-cli.js rebuilds it first whenever a
// source changed, so a stale build never runs, and starting compiled JavaScript costs a fraction of compiling the
// TypeScript at every start. Where nothing can be built (no esbuild, a read-only install) it runs the sources
// through tsx instead.
import { compiledCli } from '../scripts/build-cli.js';

if (process.env.NEWSBRIEF_DEBUG) process.setSourceMapsEnabled(true);
let entry;
try {
  entry = await compiledCli();
} catch (error) {
  process.stderr.write(`newsbrief: ${error.message}\n`);
  process.exit(1);
}
let main;
if (entry) ({ main } = await import(entry));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
