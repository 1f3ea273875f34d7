/** `newsbrief validate FILE...`: every problem of every file, exit 1 when any is refused. */
import { formatProblems } from '../../brief/problems.js';
import type { ValidBrief } from '../../brief/brief-schema.js';
import { parseBrief } from '../../brief/parse-brief.js';
import type { ListConfig } from '../../config/lists.js';
import type { Problem } from '../../config/problems.js';
import { loadListsFile, readBriefFile } from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';

export const validateCommand: Command = {
  help: `Usage: newsbrief validate FILE... [--lists FILE]

Checks each brief (and renders it once, as intake does) and prints every problem with its JSON Pointer.
Nothing is sent.

Options:
  --lists FILE   lists configuration (default: config/lists.json of this project)
  -h, --help     show this help

Exit status: 0 all valid, 1 any refused, 2 usage error.`,
  options: { lists: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('give at least one brief file');
    const lists = loadListsFile(values.lists as string | undefined);
    const knownLists = [...lists.lists.keys()];
    let refused = 0;
    for (const file of positionals) {
      let bytes: Uint8Array;
      try {
        bytes = readBriefFile(file);
      } catch (error) {
        io.err((error as Error).message);
        refused++;
        continue;
      }
      const result = parseBrief(bytes, { knownLists, sourceName: file });
      // A valid brief is also rendered once: an email too large for Gmail is refused here, as on AWS. MJML is
      // loaded only then, so that help, usage errors and refused briefs answer at once.
      const problems = result.ok ? await renderProblems(result.brief, lists.lists.get(result.brief.list)!) : result.problems;
      if (result.ok && problems.length === 0) io.out(`${file}: valid (list ${result.brief.list}, issue ${result.brief.id})`);
      else {
        refused++;
        io.out(formatProblems(file, problems));
      }
    }
    return refused > 0 ? EXIT.refused : EXIT.ok;
  },
};

async function renderProblems(brief: ValidBrief, list: ListConfig): Promise<Problem[]> {
  const { renderIssue, renderedIssueProblems } = await import('../../render/render-issue.js');
  return renderedIssueProblems(await renderIssue(brief, list));
}
