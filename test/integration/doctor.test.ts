/**
 * `newsbrief doctor` end to end through the CLI, against moto_server (SES, Secrets Manager, CloudFormation over
 * HTTP) and a DNS server on loopback (test/support/dns-server.ts). moto answers every SES v1 read the doctor
 * makes; it cannot hold an identity in "Pending" (an identity it knows is verified at once), so "unverified"
 * here is an identity SES never verified, as after a deploy whose DNS records were never added. Its account is
 * always the sandbox (GetSendQuota: 200 a day, 1/s, AWS's sandbox figures); the healthy account is a moto whose
 * quota model is patched to a production account's, since moto has no API to change it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  SESClient,
  SetIdentityMailFromDomainCommand,
  VerifyDomainIdentityCommand,
} from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import type { DoctorReport } from '../../src/doctor/run-doctor.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';

const DOMAIN = 'news.example.com';
const KEYRING = JSON.stringify({ current: 'k1', k1: 'doctor-test-signing-key-0123456789abcdef' });

// moto's SESQuota is fixed at the sandbox's figures; this makes the account a production one (50,000/day, 14/s).
const PRODUCTION_QUOTA = [
  'import moto.ses.models as _ses_models',
  '_quota_init = _ses_models.SESQuota.__init__',
  'def _production_quota(self, sent):',
  '    _quota_init(self, sent)',
  '    self.max24_hour_send = 50000',
  '    self.max_send_rate = 14',
  '_ses_models.SESQuota.__init__ = _production_quota',
].join('\n');

let sandbox: Awaited<ReturnType<typeof startMoto>>;
let production: Awaited<ReturnType<typeof startMoto>>;
let dns: DnsServer;

/** A lists file whose lists send from `froms`. */
function listsFile(froms: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'doctor-lists-')), 'lists.json');
  writeFileSync(
    file,
    JSON.stringify({
      lists: froms.map((from, i) => ({
        id: `list-${i + 1}`,
        displayName: `List ${i + 1}`,
        from,
        postalAddress: 'Example Media Ltd, 1 Example Street, London EC1A 1AA, United Kingdom',
      })),
    }),
  );
  return file;
}

const HEALTHY_LISTS = [`Weekly <weekly@${DOMAIN}>`, `Sport <sport@sport.${DOMAIN}>`];

async function doctor(endpoint: string, froms: readonly string[], args: readonly string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: endpoint };
  const io: CliIo = { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env, isTty: false };
  const code = await main(['doctor', '--region', 'us-east-1', '--dns-server', dns.address, '--lists', listsFile(froms), ...args], io);
  return { code, text: lines.join('\n') };
}

async function doctorJson(
  endpoint: string,
  froms: readonly string[],
  args: readonly string[],
): Promise<{ code: number; report: DoctorReport }> {
  const { code, text } = await doctor(endpoint, froms, [...args, '--json']);
  return { code, report: JSON.parse(text) as DoctorReport };
}

function byCheck(report: DoctorReport): Record<string, { status: string; summary: string; fix?: string }> {
  return Object.fromEntries(report.findings.map((f) => [f.check, f]));
}

/** A deployment as the stack leaves it: verified domain with MAIL FROM, configuration set feeding SNS, keyring. */
async function deployHealthy(endpoint: string): Promise<{ configurationSet: string; keysSecret: string }> {
  const ses = new SESClient({ endpoint });
  await ses.send(new VerifyDomainIdentityCommand({ Domain: DOMAIN }));
  await ses.send(
    new SetIdentityMailFromDomainCommand({ Identity: DOMAIN, MailFromDomain: `bounce.${DOMAIN}`, BehaviorOnMXFailure: 'UseDefaultValue' }),
  );
  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: 'newsbrief' } }));
  await ses.send(
    new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'newsbrief',
      EventDestination: {
        Name: 'feedback',
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce', 'complaint', 'delivery', 'reject'],
        SNSDestination: { TopicARN: 'arn:aws:sns:us-east-1:123456789012:feedback' },
      },
    }),
  );
  const secret = await new SecretsManagerClient({ endpoint }).send(
    new CreateSecretCommand({ Name: 'newsbrief-keys', SecretString: KEYRING }),
  );
  return { configurationSet: 'newsbrief', keysSecret: secret.ARN! };
}

describe.skipIf(skipWithout('moto_server'))('newsbrief doctor on moto', () => {
  let healthy: { configurationSet: string; keysSecret: string };

  beforeAll(async () => {
    useFakeAwsCredentials();
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete process.env[name];
    [sandbox, production, dns] = await Promise.all([
      startMoto(),
      startMoto({ prelude: PRODUCTION_QUOTA }),
      startDnsServer({ [`_dmarc.${DOMAIN}`]: ['v=DMARC1; p=none; rua=mailto:dmarc@example.com'], [DOMAIN]: ['v=spf1 -all'] }),
    ]);
    healthy = await deployHealthy(production.endpoint);
  });

  afterAll(async () => {
    await Promise.all([sandbox?.stop(), production?.stop(), dns?.stop()]);
  });

  it('reports every check ok for a healthy setup, and exits 0', async () => {
    const { code, report } = await doctorJson(production.endpoint, HEALTHY_LISTS, [
      '--domain',
      DOMAIN,
      '--configuration-set',
      healthy.configurationSet,
      '--keys-secret',
      healthy.keysSecret,
      '--mail-from-domain',
      `bounce.${DOMAIN}`,
    ]);
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(Object.keys(byCheck(report))).toEqual([
      'identity',
      'dkim',
      'mail-from',
      'list-senders',
      'dmarc',
      'production-access',
      'quota',
      'configuration-set',
      'event-destination',
      'keyring',
    ]);
    expect(byCheck(report).quota?.summary).toBe('Quota 50,000/24 h at 14/s; 0 sent in the last 24 hours.');
    expect(code).toBe(0);
  });

  it('reads the names from the stack outputs with --stack', async () => {
    await new CloudFormationClient({ endpoint: production.endpoint }).send(
      new CreateStackCommand({
        StackName: 'Newsbrief',
        TemplateBody: JSON.stringify({
          Resources: { Placeholder: { Type: 'AWS::SQS::Queue' } },
          Outputs: {
            SenderDomain: { Value: DOMAIN },
            MailFromDomain: { Value: `bounce.${DOMAIN}` },
            ConfigurationSetName: { Value: healthy.configurationSet },
            KeysSecretArn: { Value: healthy.keysSecret },
          },
        }),
      }),
    );
    const { code, report } = await doctorJson(production.endpoint, HEALTHY_LISTS, ['--stack', 'Newsbrief']);
    expect(report.domain).toBe(DOMAIN);
    expect(report.findings.map((f) => f.status)).not.toContain('warn');
    expect(code).toBe(0);
  });

  it('checks the senders of the deployed lists table with --stack and no --lists', async () => {
    // The stack of the test above names no ListsTableName: its lists table is Newsbrief-lists. A list put only
    // there, sending from an unverified domain, is what the doctor must find.
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: production.endpoint, AWS_REGION: 'us-east-1' };
    await new DynamoDBClient({ endpoint: production.endpoint, region: 'us-east-1' }).send(
      new CreateTableCommand({
        TableName: 'Newsbrief-lists',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const lines: string[] = [];
    const io: CliIo = { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env, isTty: false };
    const deployed = listsFile([`Stray <stray@unverified.example.net>`]);
    expect(await main(['lists', 'put', deployed, '--table', 'Newsbrief-lists'], io)).toBe(0);
    lines.length = 0;
    const code = await main(['doctor', '--region', 'us-east-1', '--dns-server', dns.address, '--stack', 'Newsbrief', '--json'], io);
    const findings = byCheck(JSON.parse(lines.join('\n')) as DoctorReport);
    expect(findings['list-senders']).toMatchObject({ status: 'fail', summary: expect.stringContaining('unverified.example.net') });
    expect(code).toBe(1);
  });

  it('says which stack it could not find', async () => {
    const { code, text } = await doctor(production.endpoint, HEALTHY_LISTS, ['--stack', 'Nowhere']);
    expect(text).toMatch(/newsbrief doctor: CloudFormation in us-east-1 has no stack Nowhere/);
    expect(code).toBe(1);
  });

  it('reports an unverified identity and a missing DMARC record, each with its fix, and exits 1', async () => {
    const domain = 'unverified.example.org';
    const { code, report } = await doctorJson(sandbox.endpoint, [`Weekly <weekly@${domain}>`], ['--domain', domain]);
    const findings = byCheck(report);

    expect(findings.identity).toMatchObject({
      status: 'fail',
      summary: `SES in us-east-1 has no identity ${domain}: nothing can be sent from it.`,
    });
    expect(findings.identity?.fix).toContain(`aws sesv2 create-email-identity --email-identity ${domain} --region us-east-1`);
    expect(findings.dmarc).toMatchObject({ status: 'fail', summary: expect.stringContaining(`No DMARC record for ${domain}`) });
    expect(findings.dmarc?.fix).toContain(`add a TXT record _dmarc.${domain} "v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}"`);
    expect(findings['list-senders']).toMatchObject({ status: 'fail', summary: expect.stringContaining('List "list-1"') });
    // moto's account is the sandbox's.
    expect(findings['production-access']).toMatchObject({ status: 'fail', fix: expect.stringContaining('--production-access-enabled') });
    // Both DMARC names a receiver would ask were asked over the wire.
    expect(dns.queries).toEqual(expect.arrayContaining([`_dmarc.${domain}`, '_dmarc.example.org']));
    expect(code).toBe(1);
  });

  it('prints the findings with their fixes as text', async () => {
    const { code, text } = await doctor(sandbox.endpoint, HEALTHY_LISTS, ['--domain', DOMAIN]);
    expect(text).toContain(`newsbrief doctor: ${DOMAIN} in us-east-1`);
    expect(text).toMatch(/^FAIL {2}identity +SES in us-east-1 has no identity news\.example\.com/m);
    expect(text).toMatch(/^ok {4}dmarc +DMARC at _dmarc\.news\.example\.com: p=none/m);
    expect(text).toMatch(/^ +fix: deploy the stack/m);
    expect(text).toMatch(/to fix before sending/);
    expect(code).toBe(1);
  });
});
