/**
 * `npm run bench`: the figures that matter, measured on this machine, printed as a table and a final
 * JSON line. Targets (2 cores): warm render ≤ 5 ms, personalization ≥ 100,000/s and ≥ 150× a full render
 * per recipient, MIME ≥ 1,500/s; the pipeline figures come from bench/pipeline.ts when present.
 */
import { cpus } from 'node:os';
import { runRenderBench } from './render.js';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: [string, string, string, boolean | undefined][] = [];
const check = (name: string, value: string, target: string, ok?: boolean) => rows.push([name, value, target, ok]);

const render = await runRenderBench();
check('mjml import (cold)', `${fmt(render.coldImportMs, 1)} ms`, '', undefined);
check('render once, cold', `${fmt(render.coldRenderMs, 1)} ms`, '', undefined);
check('render once, warm median', `${fmt(render.warmRenderMedianMs, 2)} ms`, '≤ 5 ms', render.warmRenderMedianMs <= 5);
check('HTML size', `${fmt(render.htmlBytes / 1024, 1)} KiB`, '< 102 KiB', render.htmlBytes < 102 * 1024);
check('personalize (html+text+token)', `${fmt(render.personalizePerSecond)} /s`, '≥ 100,000 /s', render.personalizePerSecond >= 100_000);
check('full MJML render per recipient', `${fmt(render.fullRenderPerSecond)} /s`, '', undefined);
check('personalize ÷ full render', `${fmt(render.personalizeVsFullRender)}×`, '≥ 150×', render.personalizeVsFullRender >= 150);
check('MIME (MailComposer)', `${fmt(render.mimePerSecond)} /s`, '≥ 1,500 /s', render.mimePerSecond >= 1500);

let pipeline: unknown;
try {
  // The pipeline benchmark is optional here so that this file runs before bench/pipeline.ts exists.
  const path = './pipeline.js';
  const module = (await import(path)) as { runPipelineBench?: () => Promise<Record<string, unknown>>; describePipelineBench?: (r: Record<string, unknown>) => [string, string, string, boolean | undefined][] };
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
for (const [name, value, target, ok] of rows) console.log(`${name.padEnd(widths[0]!)}  ${value.padStart(widths[1]!)}  ${target.padEnd(widths[2]!)}  ${ok === undefined ? '' : ok ? 'yes' : 'NO'}`);
console.log(JSON.stringify({ render, pipeline }));
