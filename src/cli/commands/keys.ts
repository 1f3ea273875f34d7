/** `newsbrief keys show|rotate`: the local signing keyring of unsubscribe and confirmation links. */
import { join, resolve } from 'node:path';
import { DEFAULT_STATE_DIR, KEYRING_FILE, openKeyring, rotateKeyringFile } from '../../wiring/local-files.js';
import { type Command, EXIT, UsageError } from '../command.js';

export const keysCommand: Command = {
  help: `Usage: newsbrief keys show [--state DIR]
       newsbrief keys rotate [--state DIR]

Every unsubscribe and confirmation link carries the id of the key that signed it; links verify as long as
the keyring holds that key. The keyring is the state folder's keys.json (git-ignored; on AWS it is in
Secrets Manager).

show    the key ids and which one signs new links (never the secrets)
rotate  adds a new key with a new id and makes it current; every old key is kept, so links already mailed
        keep working. When keys.json is missing (lost, not restored from a backup), it creates a new keyring:
        links mailed before then no longer verify, which is why nothing else ever does this silently.

Options:
  --state DIR    state folder (default: ${DEFAULT_STATE_DIR})
  -h, --help     show this help`,
  options: { state: { type: 'string' } },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action !== 'show' && action !== 'rotate')
      throw new UsageError(action === undefined ? 'say show or rotate' : `unknown action "${action}" (show or rotate)`);
    if (rest.length > 0) throw new UsageError(`${action} takes no arguments`);
    const stateDir = resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR);
    const file = join(stateDir, KEYRING_FILE);
    if (action === 'show') {
      const keyring = openKeyring(stateDir);
      io.out(
        `${file}: ${keyring.keys.size} key(s); new links are signed with ${keyring.current}\n${[...keyring.keys.keys()].map((id) => `  ${id}${id === keyring.current ? '  (current)' : ''}`).join('\n')}`,
      );
      return EXIT.ok;
    }
    const { current, kept } = rotateKeyringFile(file);
    io.out(
      kept.length > 0
        ? `${file}: new key ${current} signs new links; kept ${kept.join(', ')}, so links already mailed keep working`
        : `${file}: new keyring with key ${current}; links signed with any earlier key no longer verify`,
    );
    return EXIT.ok;
  },
};
