/** The archive index of one list: every published issue, newest first, with its feed and a subscribe link. */
import type { ListConfig } from '../config/lists.js';
import { html } from '../render/html-template.js';
import { phrasesFor } from '../render/phrases.js';
import type { ArchiveIndex } from './archive-index.js';
import { subscribePageOf } from './archive-page.js';
import { archiveFeedUrl } from './archive-urls.js';

/** The index page (HTML). Every value from a brief or the configuration is escaped by the `html` template. */
export function archiveIndexPage(list: ListConfig, index: ArchiveIndex): string {
  const subscribe = phrasesFor('en').subscribe;
  const items = index.entries.map(
    (e) => html`<li><a href="${e.url}">${e.title}</a> <time datetime="${e.publishedAt}">${e.publishedAt.slice(0, 10)}</time></li>
`,
  );
  const name = list.displayName;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${name}: archive</title>
<link rel="alternate" type="application/atom+xml" title="${name}" href="${archiveFeedUrl(list)}">
<style>
body { font: 17px/1.55 -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
a { color: ${list.accentColor}; }
@media (prefers-color-scheme: dark) { body { background: #121212; color: #e8e8e8; } a { color: inherit; } }
li { margin: 0 0 0.6rem; } time { color: #6b7178; font-size: 0.9em; margin-inline-start: 0.4rem; }
</style>
</head>
<body>
<h1>${name}</h1>
<p><a href="${subscribePageOf(list)}">${subscribe}</a> · <a href="${archiveFeedUrl(list)}">Atom feed</a></p>
${index.entries.length > 0 ? html`<ol reversed>\n${items}</ol>` : html`<p>No issues yet.</p>`}
</body>
</html>
`.toString();
}
