/** The keyring that signs unsubscribe and confirmation links is present and usable. */
import type { Keyring } from '../deliver/tokens.js';
import { type Finding, finding } from './finding.js';

/** What reading the keyring gave: the keyring, the error, or nothing (no secret named). */
export type KeyringRead = { readonly keyring: Keyring } | { readonly error: string } | undefined;

/** ok with the current key id (never a secret); fail with the reason; warn when nobody said where it is. */
export function checkKeyring(read: KeyringRead, secret: string | undefined, region: string): Finding {
  if (!read || secret === undefined) {
    return finding(
      'keyring',
      'warn',
      'Signing keyring not checked: no stack or --keys-secret given.',
      'run `newsbrief doctor --stack <stack name>` (output KeysSecretArn), or pass --keys-secret ARN.',
    );
  }
  if ('error' in read) {
    return finding(
      'keyring',
      'fail',
      `The signing keyring ${secret} is unusable: ${read.error}. Unsubscribe and confirmation links cannot be signed.`,
      `deploy the stack (it creates the secret), or store {"current":"k1","k1":"<at least 32 random characters>"}: \`aws secretsmanager put-secret-value --secret-id ${secret} --secret-string file://keyring.json --region ${region}\`.`,
    );
  }
  return finding('keyring', 'ok', `Signing keyring present: ${read.keyring.keys.size} key(s), current "${read.keyring.current}".`);
}
