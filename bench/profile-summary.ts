/**
 * Summarizes V8 CPU profiles (`node --cpu-prof`, e.g. from `BENCH_CPU_PROF=<dir> npx tsx bench/deployed-send.ts`):
 * the functions with the most self time, the functions with the most inclusive time (each counted once
 * per sample), and the share of each cost centre (the first matching frame from the leaf up), all as
 * percentages of the samples taken while not idle.
 *
 *   npx tsx bench/profile-summary.ts <dir or .cpuprofile> [--top 25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** Cost centres, tried from the leaf up: the first frame whose name or file matches names the sample's centre. */
const CENTRES: ReadonlyArray<readonly [string, RegExp]> = [
  ['compose MIME', /^(composeMessage|composeMime|personalize|encodeQuotedPrintable|foldHeader|encodeHeader|qpEncode|mimeOf)/],
  ['unsubscribe token (HMAC)', /^(signToken|unsubscribeToken|tokenFor|hmac)/i],
  ['SigV4 signing', /^(sign|signRequest|presign|getSigningKey|createCanonicalRequest|getCanonicalHeaders|getPayloadHash|SignatureV4)/],
  [
    'DynamoDB marshalling',
    /^(marshall|unmarshall|convertToAttr|convertToNative|marshallInput|unmarshallOutput|processKeysInObj|processObj|processAllKeysInObj)/,
  ],
  [
    'XML/JSON (de)serialization',
    /^(parseXmlBody|parseXmlErrorBody|XMLParser|parse$|stringify|de_|se_|_json|loadRestJsonErrorCode|parseJsonBody)/,
  ],
  ['logging / metrics', /(Logger|logger|addMetric|publishStoredMetrics|serializeMetrics|printLog|processLogItem|createAndPopulateLogItem)/],
  [
    'HTTP (node:http, sockets)',
    /^(writeGeneric|writevGeneric|onStreamRead|_http|ClientRequest|Socket|parserOnIncoming|parserOnHeadersComplete|handle|_writeRaw|_send|end|request)$/,
  ],
  ['GC', /^\(garbage collector\)$/],
];

function profilesIn(path: string): string[] {
  return statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))
    : [path];
}

/** Prints the summary of one or more profiles (merged). */
export function summarizeProfiles(paths: readonly string[], top = 25): void {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const centres = new Map<string, number>();
  let busy = 0;
  for (const path of paths) {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const sample of profile.samples) {
      const leaf = byId.get(sample)!;
      if (leaf.callFrame.functionName === '(idle)' || leaf.callFrame.functionName === '(program)') continue;
      busy++;
      const label = (n: ProfileNode) =>
        `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
      self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
      const seen = new Set<string>();
      let centre: string | undefined;
      for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
        const node = byId.get(id)!;
        const name = node.callFrame.functionName;
        if (!seen.has(name)) {
          seen.add(name);
          inclusive.set(name || '(anonymous)', (inclusive.get(name || '(anonymous)') ?? 0) + 1);
        }
        centre ??= CENTRES.find(([, pattern]) => pattern.test(name))?.[0];
      }
      centre ??= 'other';
      centres.set(centre, (centres.get(centre) ?? 0) + 1);
    }
  }
  const pct = (n: number) => `${((100 * n) / Math.max(1, busy)).toFixed(1)} %`;
  const table = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [name, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(count).padStart(7)}  ${name}`);
  };
  console.log(`${paths.length} profile(s), ${busy} busy samples`);
  table('cost centres (first match from the leaf up)', centres, CENTRES.length + 1);
  table('self time', self, top);
  table('inclusive time', inclusive, top);
}

if (process.argv[1]?.endsWith('bench/profile-summary.ts')) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
  summarizeProfiles(positionals.flatMap(profilesIn), values.top ? Number(values.top) : 25);
}
