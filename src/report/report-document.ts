/**
 * The frame of the report pages (one issue, one list): a whole HTML document with its one stylesheet inline
 * and no script, font or image from anywhere, so that a file written by `newsbrief report --html` reads the
 * same offline as the studio's page. The stylesheet is allowed by its hash (REPORT_CSP), never by
 * 'unsafe-inline'; charts take their colours from classes, not `style` attributes, for the same reason.
 */
import { createHash } from 'node:crypto';
import { html, type SafeHtml, trusted } from '../render/html-template.js';

// Light and dark by prefers-color-scheme; a single column that reads at 375 px and stops growing at 760 px.
const STYLESHEET = `
:root{color-scheme:light dark;--bg:#f7f7f5;--card:#fff;--ink:#1c1d1f;--muted:#5d6168;--line:#dcdde0;--grid:#e8e9eb;
--c-planned:#9aa3ad;--c-sent:#5b7fa6;--c-delivered:#2f6f9f;--c-opened:#2e8560;--c-clicked:#1f5f43;
--c-bad:#b5442f;--c-warn:#b27a12;--c-unsub:#7453a6;--c-limit:#1c1d1f;--ok:#2e8560}
@media (prefers-color-scheme:dark){:root{--bg:#141518;--card:#1d1f23;--ink:#eceef1;--muted:#a3a8b0;--line:#34373d;--grid:#2a2d32;
--c-planned:#6f7882;--c-sent:#7d9fc6;--c-delivered:#5fa0d0;--c-opened:#57b78a;--c-clicked:#8fd6b2;
--c-bad:#e8765f;--c-warn:#e0a84a;--c-unsub:#a58bd6;--c-limit:#eceef1;--ok:#57b78a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:760px;margin:0 auto;padding:16px 14px 40px}
h1{font-size:1.35rem;margin:.2em 0 .1em;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:0 0 .5em}
p{margin:.3em 0}
a{color:var(--c-delivered)}
.sub,.muted{color:var(--muted)}
.small{font-size:.85rem}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.card{position:relative;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px;margin:14px 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(100px,1fr));gap:8px;margin:12px 0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 10px}
.tile b{display:block;font-size:1.25rem;font-variant-numeric:tabular-nums}
.tile span{color:var(--muted);font-size:.8rem}
.note{border-left:3px solid var(--c-warn);padding:6px 10px;background:var(--bg);border-radius:4px}
.state{font-weight:600}.state.ok{color:var(--ok)}.state.bad{color:var(--c-bad)}
figure{margin:0}
svg{display:block;width:100%;max-width:440px;height:auto}
svg text{fill:var(--ink);font:11px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg text.value{font-variant-numeric:tabular-nums;font-weight:600}
svg text.dim{fill:var(--muted)}
.track{fill:var(--grid)}.grid{stroke:var(--grid);stroke-width:1}.limit{stroke:var(--c-limit);stroke-width:2}
.f-planned{fill:var(--c-planned)}.f-sent{fill:var(--c-sent)}.f-delivered{fill:var(--c-delivered)}
.f-opened{fill:var(--c-opened)}.f-clicked{fill:var(--c-clicked)}.f-bad{fill:var(--c-bad)}.f-warn{fill:var(--c-warn)}
.f-unsub{fill:var(--c-unsub)}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:.8rem;color:var(--muted);margin:6px 0 0}
.key{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.key.opened{background:var(--c-opened)}.key.clicked{background:var(--c-clicked)}.key.unsub{background:var(--c-unsub)}
table.data{width:100%;min-width:0;border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}
table.data th,table.data td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
table.data td.n,table.data th.n{text-align:right}
table.data td.text{overflow-wrap:anywhere}
.scroll{overflow-x:auto}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;

// What the page carries in its own <meta>, so that the file keeps it offline (browsers ignore frame-ancestors there).
const META_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** The Content-Security-Policy header of the report pages: nothing but their own inline stylesheet (by hash) and links. */
export const REPORT_CSP = `${META_CSP}; frame-ancestors 'none'`;

/** A whole report document: the title, the stylesheet, the CSP as a meta element (for the file), the body. */
export function reportDocument(title: string, body: SafeHtml): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${META_CSP}"><meta name="color-scheme" content="light dark">
<title>${title}</title><style>${trusted(STYLESHEET)}</style></head>
<body><main>${body}</main></body></html>`}\n`;
}

/** A count as people read it: 100,000. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A share as people read it: "12.3 %", "0 %", "—" when there is nothing to divide by. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const share = (part / whole) * 100;
  const digits = share === 0 || share >= 10 ? 1 : 2;
  return `${Number(share.toFixed(digits))} %`;
}
