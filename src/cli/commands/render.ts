/** `newsbrief render FILE --out DIR`: the HTML, the text and the complete .eml for one sample reader. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatProblems } from '../../brief/problems.js';
import { parseBrief } from '../../brief/parse-brief.js';
import { checkOutputFolder, loadListsFile, openKeyring, readBriefFile } from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';

export const renderCommand: Command = {
  help: `Usage: newsbrief render FILE --out DIR [--to EMAIL] [--first-name NAME]

Validates the brief, renders it once and writes, for one sample reader:
  DIR/<id>.html   the HTML part
  DIR/<id>.txt    the plain-text part
  DIR/<id>.eml    the complete MIME message, exactly as it would be handed to SES

Options:
  --out DIR          where to write (created if missing)
  --to EMAIL         the sample reader's address (default: reader@example.com)
  --first-name NAME  the sample reader's first name (default: Alex)
  --lists FILE       lists configuration (default: config/lists.json of this project)
  --keys FILE        token signing keyring (default: .newsbrief/keys.json, created in a new state folder)
  -h, --help         show this help`,
  options: {
    out: { type: 'string' },
    to: { type: 'string' },
    'first-name': { type: 'string' },
    lists: { type: 'string' },
    keys: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one brief file');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out DIR is required');
    const email = (values.to as string | undefined) ?? 'reader@example.com';
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email))
      throw new UsageError(`--to "${email}" is not an e-mail address (for example ada@example.com)`);
    const file = positionals[0]!;
    const lists = loadListsFile(values.lists as string | undefined);
    const result = parseBrief(readBriefFile(file), { knownLists: [...lists.lists.keys()], sourceName: file });
    if (!result.ok) {
      io.out(formatProblems(file, result.problems));
      return EXIT.refused;
    }
    const brief = result.brief;
    const list = lists.lists.get(brief.list)!;
    const outDir = resolve(io.cwd, values.out);
    checkOutputFolder(outDir);
    // The keyring's folder is treated as its state folder: a lost keyring next to sent issues is not replaced.
    const keysFile = resolve(io.cwd, (values.keys as string | undefined) ?? '.newsbrief/keys.json');
    const keyring = openKeyring(dirname(keysFile), keysFile);
    const recipient = { id: 'sample-reader', email, firstName: (values['first-name'] as string | undefined) ?? 'Alex' };
    // Loaded only now (MJML, nodemailer): help and usage errors answer at once.
    const [{ renderIssue, renderedIssueProblems }, { personalize, unsubscribeLinks }, { composeMessage }] = await Promise.all([
      import('../../render/render-issue.js'),
      import('../../deliver/personalize.js'),
      import('../../deliver/compose-message.js'),
    ]);
    const issue = await renderIssue(brief, list);
    const problems = renderedIssueProblems(issue);
    if (problems.length > 0) {
      io.out(formatProblems(file, problems));
      return EXIT.refused;
    }
    const links = unsubscribeLinks(list, recipient, keyring);
    const content = personalize(issue, recipient, links.url);
    const message = await composeMessage({ issue, list, recipient, content, unsubscribe: links, date: new Date() });
    mkdirSync(outDir, { recursive: true });
    const written = [
      [`${brief.id}.html`, content.html],
      [`${brief.id}.txt`, content.text],
      [`${brief.id}.eml`, message.raw],
    ] as const;
    for (const [name, body] of written) writeFileSync(join(outDir, name), body);
    io.out(
      `${file}: rendered issue ${brief.id} of ${list.id} for ${email}\n${written.map(([name]) => `  ${join(values.out as string, name)}`).join('\n')}`,
    );
    return EXIT.ok;
  },
};
