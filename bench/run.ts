/**
 * `npm run bench [-- --short]`: the figures that matter, measured on this machine, printed as a table and a
 * final JSON line. First what deploys: the send function bundled and run as Lambda runs it against HTTP
 * fakes of AWS (bench/deployed-send.ts: share of quota, CPU per message, lost, duplicates, memory) and every
 * function's bundle size and module-load CPU (bench/bundles.ts). Then the in-process floor, labelled as
 * such: render economics (bench/render.ts) and the send use-case with in-memory adapters (bench/pipeline.ts).
 * `--short` runs a few hundred messages at two rates and skips the in-process pipeline.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { describeBundleBench, runBundleBench } from './bundles.js';
import { describeDeployedSendBench, printDeployedSendTable, runDeployedSendBench } from './deployed-send.js';
import { describeLocalStateBench, runLocalStateBench } from './local-state.js';
import { runRenderBench } from './render.js';
import { describeSubscriberImportBench, runSubscriberImportBench } from './subscriber-import.js';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: [string, string, string, boolean | undefined][] = [];
const check = (name: string, value: string, target: string, ok?: boolean) => rows.push([name, value, target, ok]);

const { values } = parseArgs({ options: { short: { type: 'boolean' } } });
const short = values.short ?? false;
const log = (line: string) => console.error(line);

const deployed = await runDeployedSendBench({ short, log });
for (const row of describeDeployedSendBench(deployed)) rows.push(row);
const bundles = await runBundleBench({ runs: short ? 1 : 5, log });
for (const row of describeBundleBench(bundles)) rows.push(row);

// `subscribers import --table` against dynalite in its own process: rows/s before (one at a time) and now.
const subscriberImport = await runSubscriberImportBench({ rows: short ? 5_000 : 20_000, oneByOneRows: short ? 500 : 2_000, log });
for (const row of describeSubscriberImportBench(subscriberImport)) rows.push(row);

// In-process from here on: the core with in-memory adapters, no SDK, no HTTP — a floor, not what deploys.
const render = await runRenderBench();
check('in-process: mjml import (cold)', `${fmt(render.coldImportMs, 1)} ms`, '', undefined);
check('in-process: render once, cold', `${fmt(render.coldRenderMs, 1)} ms`, '', undefined);
check('in-process: render once, warm median', `${fmt(render.warmRenderMedianMs, 2)} ms`, '≤ 5 ms', render.warmRenderMedianMs <= 5);
check('in-process: HTML size', `${fmt(render.htmlBytes / 1024, 1)} KiB`, '< 102 KiB', render.htmlBytes < 102 * 1024);
check(
  'in-process: personalize (html+text+token)',
  `${fmt(render.personalizePerSecond)} /s`,
  '≥ 100,000 /s',
  render.personalizePerSecond >= 100_000,
);
check('in-process: full MJML render per recipient', `${fmt(render.fullRenderPerSecond)} /s`, '', undefined);
check('in-process: personalize ÷ full render', `${fmt(render.personalizeVsFullRender)}×`, '≥ 150×', render.personalizeVsFullRender >= 150);
check('in-process: complete message (personalize + MIME)', `${fmt(render.mimePerSecond)} /s`, '≥ 1,500 /s', render.mimePerSecond >= 1500);
// The honest ratios, per complete message (MIME on both sides): "personalize ÷ full render" above leaves MIME out.
check(
  'in-process: complete message ÷ MJML render per recipient + MIME',
  `${fmt(render.mimePerSecond / render.renderPerRecipientMessagesPerSecond, 1)}×`,
  '',
  undefined,
);
check(
  'in-process: complete message ÷ Handlebars + MailComposer',
  `${fmt(render.mimePerSecond / render.handlebarsMailComposerPerSecond, 2)}×`,
  '',
  undefined,
);

// Local mode's database at scale (bench/local-state.ts, in a child process of its own for its peak RSS).
const localState = await runLocalStateBench({ short, log });
for (const row of describeLocalStateBench(localState)) rows.push(row);

let pipeline: unknown;
if (!short)
  try {
    // The pipeline benchmark is optional here so that this file runs before bench/pipeline.ts exists.
    const path = './pipeline.js';
    const module = (await import(path)) as {
      runPipelineBench?: () => Promise<Record<string, unknown>>;
      describePipelineBench?: (r: Record<string, unknown>) => [string, string, string, boolean | undefined][];
    };
    if (module.runPipelineBench) {
      const result = await module.runPipelineBench();
      pipeline = result;
      for (const row of module.describePipelineBench?.(result) ?? []) rows.push(row);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 6));
console.log(`newsbrief bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log(`${'measure'.padEnd(widths[0]!)}  ${'value'.padStart(widths[1]!)}  ${'target'.padEnd(widths[2]!)}  ok`);
for (const [name, value, target, ok] of rows)
  console.log(
    `${name.padEnd(widths[0]!)}  ${value.padStart(widths[1]!)}  ${target.padEnd(widths[2]!)}  ${ok === undefined ? '' : ok ? 'yes' : 'NO'}`,
  );
console.log('');
printDeployedSendTable(deployed);
console.log(JSON.stringify({ deployed, bundles, subscriberImport, render, localState, pipeline }));
process.exitCode = deployed.runs.every((r) => r.lost === 0 && r.duplicates === 0) ? 0 : 1;
