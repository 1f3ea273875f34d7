#!/usr/bin/env node
// The `newsbrief` command. It runs the CLI compiled by esbuild: scripts/build-cli.js rebuilds it first whenever a
// source changed, so a stale build never runs, and starting compiled JavaScript costs a fraction of compiling the
// TypeScript at every start. Where nothing can be built (no esbuild, a read-only install) it runs the sources
// through tsx instead.
import { setFlagsFromString } from 'node:v8';
import { compiledCli } from '../scripts/build-cli.js';

// Before anything is loaded: V8's young generation, once grown by start-up, is never given back, and most commands
// open local state, which keeps it at its starting size from then on (keepYoungGenerationSmall in
// src/adapters/local/state-database.ts says why): a young generation grown while the CLI loaded stays 64 MiB.
setFlagsFromString('--semi-space-growth-factor=1');

// Local state is node:sqlite (Node ≥ 22.13); say so instead of failing on a missing built-in module later.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `newsbrief: needs Node 22.13 or later (this is ${process.version}); run it as \`npx newsbrief\` inside the project, which uses the Node 24 that npm ci installed, or install Node 24 (.nvmrc)\n`,
  );
  process.exit(1);
}

if (process.env.NEWSBRIEF_DEBUG) process.setSourceMapsEnabled(true);
let code;
try {
  const entry = await compiledCli();
  let main;
  if (entry) ({ main } = await import(entry));
  else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/cli/main.ts'));
  }
  code = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`newsbrief: ${error.message}\n`);
  code = 1;
}
// No forced exit: a command closes what it started (servers, emulators, clients) on every path, so node ends
// by itself, and test/e2e/cli-exits.test.ts would see a hang if one ever did not.
process.exitCode = code;
