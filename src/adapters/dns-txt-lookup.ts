/** TXT lookups through node:dns (the system's resolvers, or the servers given): the doctor's TxtLookup. */
import { Resolver } from 'node:dns/promises';
import type { TxtLookup } from '../doctor/sender-account.js';

// Answers that mean "no such record", as opposed to a resolver that could not answer.
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/** A resolver with short timeouts; `servers` (e.g. `['1.1.1.1', '127.0.0.1:5353']`) replaces the system's. */
export function newResolver(servers?: readonly string[]): Resolver {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

/** TxtLookup on `resolver`: each record's character-strings joined (RFC 7208/7489 read a record as one string). */
export function dnsTxtLookup(resolver: Pick<Resolver, 'resolveTxt'>): TxtLookup {
  return async (name) => {
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    } catch (error) {
      if (ABSENT.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
  };
}
