/** `newsbrief doctor`: checks the sending setup (SES identity, DKIM, MAIL FROM, DMARC, sandbox, quota, configuration set, lists, keyring) before anything is sent. */
import { formatFindings } from '../../doctor/format-findings.js';
import { runDoctor } from '../../doctor/run-doctor.js';
import type { StackNames } from '../../wiring/aws-doctor.js';
import { type Command, EXIT, UsageError } from '../command.js';
import { checkListsOptions, LISTS_OPTIONS, targetLists } from '../target-lists.js';

export const doctorCommand: Command = {
  help: `Usage: newsbrief doctor --stack NAME [--region R] [--lists-table T | --lists FILE] [--json]
       newsbrief doctor --domain D [--configuration-set NAME] [--keys-secret ARN] [--region R] [--lists-table T | --lists FILE] [--json]

Checks, before anything is sent, what decides whether mail arrives: the SES identity of the sender domain
is verified; DKIM is SUCCESS; a custom MAIL FROM domain is verified (SPF alignment); a DMARC record exists
(_dmarc.<domain>, or the parent domain's); the account is out of the SES sandbox, and its quota; the
configuration set exists with an event destination for bounces and complaints; every list's from address
is on a verified identity; the signing keyring is present. Each finding is ok, WARN or FAIL, with the
command or console step that fixes it.

Options:
  --stack NAME              read the sender domain, MAIL FROM domain, configuration set and keyring from the
                            deployed stack's outputs (e.g. Newsbrief)
  --domain D                the sender domain (default: the stack's SenderDomain output)
  --mail-from-domain D      the MAIL FROM domain expected (default: the stack's MailFromDomain output)
  --configuration-set NAME  the configuration set (default: the stack's ConfigurationSetName output)
  --keys-secret ARN         the signing keyring secret (default: the stack's KeysSecretArn output)
  --region R                the AWS region (default: AWS_REGION, then the profile's)
  --lists-table T           the lists table whose lists' from addresses are checked (default with --stack: the
                            stack's own, its ListsTableName output)
  --lists FILE              check the lists of this file instead (default with --domain alone, before a deploy:
                            config/lists.json of this project)
  --dns-server IP[:PORT]    ask this DNS server instead of the system's (repeatable)
  --json                    print the findings as JSON
  -h, --help                show this help

AWS credentials come from the environment; AWS_ENDPOINT_URL is honoured. It reads only:
ses:GetIdentity*Attributes, ses:GetSendQuota, ses:DescribeConfigurationSet, secretsmanager:GetSecretValue,
cloudformation:DescribeStacks.
Exit status: 0 nothing to fix (warnings allowed), 1 something to fix before sending, 2 usage error.`,
  options: {
    stack: { type: 'string' },
    domain: { type: 'string' },
    'mail-from-domain': { type: 'string' },
    'configuration-set': { type: 'string' },
    'keys-secret': { type: 'string' },
    region: { type: 'string' },
    ...LISTS_OPTIONS,
    'dns-server': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const stack = values.stack as string | undefined;
    const region = values.region as string | undefined;
    if (stack === undefined && values.domain === undefined) throw new UsageError('give --stack NAME (the deployed stack) or --domain D');
    checkListsOptions(values);

    // Loaded only here: the rest of the CLI never needs the SDK.
    const { createAwsDoctorDeps, readDoctorStackNames } = await import('../../wiring/aws-doctor.js');
    const fromStack: Partial<StackNames> = stack === undefined ? {} : await readDoctorStackNames(io.env, stack, region);
    const domain = (values.domain as string | undefined) ?? fromStack.senderDomain;
    if (!domain)
      throw new UsageError(`stack ${stack} has no SenderDomain output (deployed before newsbrief doctor existed?): give --domain D`);
    const keysSecret = (values['keys-secret'] as string | undefined) ?? fromStack.keysSecret;
    // A deployed stack's lists are its lists table; with --domain alone (before a deploy) the lists file is what will be deployed.
    // The lists table is in the stack's region (--region) as well.
    const { lists } = await targetLists(
      values,
      region === undefined ? io : { ...io, env: { ...io.env, AWS_REGION: region } },
      fromStack.listsTable === undefined ? { kind: 'local' } : { kind: 'stack', listsTable: fromStack.listsTable },
    );
    const { deps, close } = await createAwsDoctorDeps(io.env, {
      region,
      dnsServers: values['dns-server'] as string[] | undefined,
      keysSecret,
    });
    try {
      const report = await runDoctor(deps, {
        domain,
        mailFromDomain: (values['mail-from-domain'] as string | undefined) ?? fromStack.mailFromDomain,
        configurationSet: (values['configuration-set'] as string | undefined) ?? fromStack.configurationSet,
        keysSecret,
        lists: [...lists.lists.values()].map((list) => ({ id: list.id, from: list.from })),
      });
      io.out(values.json ? JSON.stringify(report, null, 2) : formatFindings(report));
      return report.ok ? EXIT.ok : EXIT.refused;
    } finally {
      close();
    }
  },
};
