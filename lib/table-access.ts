import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CONFIRM_KEY_PREFIX, SUBSCRIBERS_BY_ID_INDEX } from '../src/config/table-indexes.js';

/**
 * The ledger's key families: every item's partition key starts with one of these (see the key functions in
 * src/adapters/aws/dynamo-ledger.ts, dynamo-feedback-ledger.ts and dynamo-confirmation-throttle.ts; the
 * least-privilege test checks that the adapters' keys start with them).
 */
export const LEDGER_KEY_PREFIX = {
  /** `issue#<list>#<id>`: an issue's state (claim, plan progress, pause, cancel, breaker). */
  issue: 'issue#',
  /** `counts#<list>#<id>#<n>`: an issue's counter shards. */
  counts: 'counts#',
  /** `delivery#<list>#<id>#<subscriberId>`: one delivery and its lease. */
  delivery: 'delivery#',
  /** `feedback#<list>#<id>#<event>`: the claim of one SES event (or a reader's first open, click, unsubscribe; a reader's recorded clicks). */
  feedback: 'feedback#',
  /** `confirm#<list>#<email>`: a confirmation-mail slot of the subscribe form. */
  confirm: CONFIRM_KEY_PREFIX,
} as const;

/** One of the ledger's key families. */
export type LedgerKeyFamily = keyof typeof LEDGER_KEY_PREFIX;

/** The item-level actions a function may be given on the ledger (never Scan, Query or BatchWriteItem). */
export type LedgerItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/** Per key family, the actions a function's code performs on those items. */
export type LedgerAccess = Partial<Record<LedgerKeyFamily, readonly LedgerItemAction[]>>;

/**
 * Grants `access` on the ledger, limited by `dynamodb:LeadingKeys` to the key families given for each action: one
 * statement per action, naming every family that action may touch. Per action, not per family, because IAM
 * judges a request's keys together: a BatchGetItem of an issue item and its counter shards (`issue#…` and
 * `counts#…` in one request) is allowed only by a statement whose condition admits both prefixes.
 */
export function grantLedgerItems(role: iam.IRole, ledger: dynamodb.ITable, access: LedgerAccess): void {
  const familiesOf = new Map<LedgerItemAction, LedgerKeyFamily[]>();
  for (const [family, actions] of Object.entries(access) as [LedgerKeyFamily, readonly LedgerItemAction[]][]) {
    for (const action of actions) familiesOf.set(action, [...(familiesOf.get(action) ?? []), family]);
  }
  for (const [action, families] of familiesOf) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [`dynamodb:${action}`],
        resources: [ledger.tableArn],
        // ForAllValues holds vacuously for a request without keys (Scan): safe here because every action granted
        // names its keys (each key of a BatchGetItem must match); Scan and Query are never granted on the ledger.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': families.map((family) => `${LEDGER_KEY_PREFIX[family]}*`) } },
      }),
    );
  }
}

/** Grants item-level `actions` on the subscribers table itself (its indexes are granted separately, where used). */
export function grantSubscriberItems(role: iam.IRole, subscribers: dynamodb.ITable, sid: string, actions: readonly string[]): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid, actions: actions.map((action) => `dynamodb:${action}`), resources: [subscribers.tableArn] }),
  );
}

/** Grants the Query of the subscribers table's `byId` index: finding the subscriber a signed token names. */
export function grantFindSubscriberById(role: iam.IRole, subscribers: dynamodb.ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'FindSubscriberById',
      actions: ['dynamodb:Query'],
      resources: [`${subscribers.tableArn}/index/${SUBSCRIBERS_BY_ID_INDEX}`],
    }),
  );
}

/**
 * What unsubscribing a token's reader takes, by link or by mail: find the subscriber by the token's id, change
 * that one status, and count the unsubscribe once on its issue (a feedback# claim, a counts# shard).
 */
export function grantUnsubscribing(
  role: iam.IRole,
  tables: { readonly subscribers: dynamodb.ITable; readonly ledger: dynamodb.ITable },
): void {
  grantFindSubscriberById(role, tables.subscribers);
  grantSubscriberItems(role, tables.subscribers, 'SetSubscriberStatus', ['UpdateItem']);
  grantLedgerItems(role, tables.ledger, { feedback: ['PutItem'], counts: ['UpdateItem'] });
}
