import { Annotations, type Stack } from 'aws-cdk-lib';
import { ENV } from '../src/config/env-names.js';
import type { ListsTable } from './lists-table.js';
import { NewsbriefFunction } from './newsbrief-function.js';

/** This deployment's public endpoints: the URLs of every list that sets none. */
export interface DeploymentEndpoints {
  /** The unsubscribe function's URL (or the custom domain in front of it). */
  readonly unsubscribeUrl: string;
  /** The web archive (CloudFront, or its custom domain). */
  readonly archiveUrl: string;
  /** Confirmation links' base when a custom domain serves /confirm; unset = the subscribe function's own URL. */
  readonly confirmUrl?: string | undefined;
  /** The mailbox an SES receipt rule serves for mail unsubscribes; unset = no message carries a `mailto:`. */
  readonly unsubscribeMailbox?: string | undefined;
  /** The function behind `unsubscribeUrl`: it cannot be given its own URL (a circular reference). */
  readonly unsubscribeFunction: NewsbriefFunction;
}

/**
 * Every newsbrief function of `stack` reads the lists: it gets the lists table's name and this deployment's
 * endpoints in its environment (no list data: any number of lists, changed without a deploy) and leave to
 * Scan that table alone. Call it after the last function is added.
 */
export function wireListsIntoFunctions(stack: Stack, lists: ListsTable, endpoints: DeploymentEndpoints): NewsbriefFunction[] {
  const functions = stack.node.findAll().filter((c): c is NewsbriefFunction => c instanceof NewsbriefFunction);
  for (const fn of functions) {
    fn.function.addEnvironment(ENV.listsTable, lists.tableName);
    fn.function.addEnvironment(ENV.archiveUrl, endpoints.archiveUrl);
    // A function URL depends on its function, so the function cannot carry it; that handler never builds
    // unsubscribe links (the subscribe endpoint derives its own URL from the request instead).
    if (fn !== endpoints.unsubscribeFunction) fn.function.addEnvironment(ENV.unsubscribeUrl, endpoints.unsubscribeUrl);
    if (endpoints.confirmUrl !== undefined) fn.function.addEnvironment(ENV.confirmUrl, endpoints.confirmUrl);
    if (endpoints.unsubscribeMailbox !== undefined) fn.function.addEnvironment(ENV.unsubscribeMailbox, endpoints.unsubscribeMailbox);
    lists.grantReadLists(fn.role);
  }
  return functions;
}

/** A synth warning per seed list URL still on the example site: the first issue would carry links nobody can follow. */
export function warnOfExampleUrls(stack: Stack, sentences: readonly string[]): void {
  for (const sentence of sentences) Annotations.of(stack).addWarningV2('newsbrief:lists-example-url', sentence);
}
