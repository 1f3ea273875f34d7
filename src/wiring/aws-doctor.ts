/**
 * What `newsbrief doctor` reads, wired for AWS: SES and Secrets Manager of one region (--region, else the
 * SDK's usual chain), CloudFormation for --stack, DNS through the system's resolvers or --dns-server.
 * AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) points the clients at an emulator.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { SesSenderAccount } from '../adapters/aws/ses-sender-account.js';
import { dnsTxtLookup, newResolver } from '../adapters/dns-txt-lookup.js';
import type { DoctorDeps } from '../doctor/run-doctor.js';
import { readStackResources } from './aws-stack.js';

/** Where the doctor looks. */
export interface DoctorWhere {
  readonly region?: string | undefined;
  readonly dnsServers?: readonly string[] | undefined;
  /** The keyring secret to read (id or ARN). */
  readonly keysSecret?: string | undefined;
}

/** The names a deployed stack's outputs give the doctor. */
export interface StackNames {
  readonly senderDomain?: string | undefined;
  readonly mailFromDomain?: string | undefined;
  readonly configurationSet?: string | undefined;
  readonly keysSecret?: string | undefined;
  /** The lists table, whose lists' from addresses the doctor checks. */
  readonly listsTable: string;
}

function clientOptions(env: NodeJS.ProcessEnv, service: string, region: string | undefined): { region?: string; endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  return { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
}

/** Reads the outputs of `stackName` that the doctor uses (SenderDomain, MailFromDomain, ConfigurationSetName, KeysSecretArn, ListsTableName). */
export async function readDoctorStackNames(env: NodeJS.ProcessEnv, stackName: string, region: string | undefined): Promise<StackNames> {
  const { outputs, listsTable } = await readStackResources(env, stackName, region);
  return {
    senderDomain: outputs.get('SenderDomain'),
    mailFromDomain: outputs.get('MailFromDomain'),
    configurationSet: outputs.get('ConfigurationSetName'),
    keysSecret: outputs.get('KeysSecretArn'),
    listsTable,
  };
}

/** The doctor's dependencies and a function that releases their connections. */
export async function createAwsDoctorDeps(env: NodeJS.ProcessEnv, where: DoctorWhere): Promise<{ deps: DoctorDeps; close(): void }> {
  const ses = new SESClient(clientOptions(env, 'SES', where.region));
  const secrets = new SecretsManagerClient(clientOptions(env, 'SECRETS_MANAGER', where.region));
  const region = await ses.config.region().catch((error: Error) => {
    throw new Error(`no AWS region: pass --region R or set AWS_REGION (${error.message})`, { cause: error });
  });
  const { keysSecret } = where;
  return {
    deps: {
      account: new SesSenderAccount(ses, region),
      lookupTxt: dnsTxtLookup(newResolver(where.dnsServers)),
      ...(keysSecret !== undefined ? { readKeyring: () => loadKeyringSecret(secrets, keysSecret) } : {}),
    },
    close() {
      ses.destroy();
      secrets.destroy();
    },
  };
}
