import { expect, it } from 'vitest';
import { checkKeyring } from '../../../src/doctor/keyring-check.js';

it('is ok with a keyring and shows its current key id, never a secret', () => {
  const f = checkKeyring(
    {
      keyring: {
        current: 'k2',
        keys: new Map([
          ['k1', Buffer.from('s')],
          ['k2', Buffer.from('secret-value')],
        ]),
      },
    },
    'arn:keys',
    'us-east-1',
  );
  expect(f).toMatchObject({ status: 'ok', summary: 'Signing keyring present: 2 key(s), current "k2".' });
});

it('fails an unreadable keyring with the command that stores one', () => {
  const f = checkKeyring({ error: "ResourceNotFoundException: Secrets Manager can't find the specified secret." }, 'arn:keys', 'us-east-1');
  expect(f.status).toBe('fail');
  expect(f.fix).toContain('aws secretsmanager put-secret-value --secret-id arn:keys');
});

it('warns that it did not check without a secret', () => {
  expect(checkKeyring(undefined, undefined, 'us-east-1').status).toBe('warn');
});
