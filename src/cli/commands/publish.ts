/** `newsbrief publish FILE`: validates a brief locally, then drops it under briefs/ in the deployed bucket. */
import { basename, resolve } from 'node:path';
import { formatProblems } from '../../brief/problems.js';
import { parseBrief } from '../../brief/parse-brief.js';
import { readBriefFile } from '../../wiring/local-files.js';
import { ENV } from '../../config/env-names.js';
import { PREFIX } from '../../config/bucket-layout.js';
import { type Command, EXIT, UsageError } from '../command.js';
import { checkListsOptions, LISTS_OPTIONS, LISTS_OPTIONS_HELP, type ListsTarget, stackOption, targetLists } from '../target-lists.js';

export const publishCommand: Command = {
  help: `Usage: newsbrief publish FILE --stack NAME [--key NAME] [--dry-run]
       newsbrief publish FILE --bucket B (--lists-table T | --lists FILE) [--key NAME] [--dry-run]

Validates FILE as "newsbrief validate" does, against the deployed lists; only a valid brief is uploaded, to
s3://B/briefs/NAME (NAME defaults to the file's name). The upload starts the send: intake renders the brief,
claims the issue and mails every subscribed member of its list once. Uploading the same issue again sends nothing.

Options:
  --stack NAME       the deployed stack: its briefs bucket (BriefsBucketName) and its lists table
  --bucket B         the briefs bucket by name (default: $${ENV.briefsBucket}; the stack's BriefsBucketName output)
  --key NAME         object name under briefs/ (default: the file name); must end in .json
${LISTS_OPTIONS_HELP}
  --dry-run          validate and show where it would go; upload nothing
  -h, --help         show this help

AWS credentials and region come from the environment; AWS_ENDPOINT_URL is honoured.
Exit status: 0 uploaded (or would be), 1 refused, 2 usage error.`,
  options: {
    stack: { type: 'string' },
    bucket: { type: 'string' },
    key: { type: 'string' },
    ...LISTS_OPTIONS,
    'dry-run': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one brief file');
    const file = resolve(io.cwd, positionals[0]!);
    const stack = stackOption(values);
    if (stack !== undefined && values.bucket !== undefined) throw new UsageError('give either --stack NAME or --bucket B');
    checkListsOptions(values);
    const name = (values.key as string | undefined) ?? basename(file);
    if (!name.toLowerCase().endsWith('.json') || name.startsWith('/'))
      throw new UsageError(`--key must be a relative name ending in .json, got "${name}"`);
    const key = `${PREFIX.briefs}${name}`;
    const bytes = readBriefFile(file);

    let bucket: string | undefined;
    let target: ListsTarget;
    if (stack !== undefined) {
      // Loaded only against a stack: the rest of the command never needs CloudFormation.
      const resources = await (await import('../../wiring/aws-stack.js')).readStackResources(io.env, stack);
      bucket = resources.require('BriefsBucketName');
      target = { kind: 'stack', listsTable: resources.listsTable };
    } else {
      bucket = (values.bucket as string | undefined) ?? io.env[ENV.briefsBucket];
      if (!bucket) throw new UsageError(`give --stack NAME or --bucket B (or set ${ENV.briefsBucket})`);
      target = { kind: 'aws', by: values.bucket === undefined ? `$${ENV.briefsBucket}` : '--bucket' };
    }
    const { lists } = await targetLists(values, io, target);
    // The id comes from the object key when the brief has none, exactly as intake will derive it.
    const result = parseBrief(bytes, { knownLists: [...lists.lists.keys()], sourceName: key });
    if (!result.ok) {
      io.out(formatProblems(positionals[0]!, result.problems));
      return EXIT.refused;
    }
    const where = `s3://${bucket}/${key}`;
    if (values['dry-run']) {
      io.out(`${positionals[0]}: valid (list ${result.brief.list}, issue ${result.brief.id}); would upload to ${where}`);
      return EXIT.ok;
    }
    // Loaded only for an upload: validating against a lists file (and --dry-run) never loads the S3 client.
    const { awsBriefsBucket } = await import('../../wiring/aws.js');
    await awsBriefsBucket(io.env, bucket).put(key, bytes, 'application/json');
    io.out(`${positionals[0]}: uploaded to ${where} (list ${result.brief.list}, issue ${result.brief.id}); intake sends it to the list`);
    return EXIT.ok;
  },
};
