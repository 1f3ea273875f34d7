/** The token signing keyring from Secrets Manager: one read per cold start. */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Keyring, parseKeyring } from '../../deliver/tokens.js';

/** Reads and parses the keyring secret; errors name the secret, never its value. */
export async function loadKeyringSecret(secrets: SecretsManagerClient, secretId: string): Promise<Keyring> {
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`secret ${secretId} has no string value; it must hold the keyring JSON`);
  let document: unknown;
  try {
    document = JSON.parse(out.SecretString);
  } catch {
    throw new Error(`secret ${secretId} is not JSON; it must hold {"current":"<kid>","<kid>":"<secret>"}`);
  }
  return parseKeyring(document);
}
