/** Names of the DynamoDB indexes that the CDK tables declare and the adapters query, so that they cannot drift. */

/** Subscribers table GSI on the opaque subscriber `id` (partition key only, all attributes projected). */
export const SUBSCRIBERS_BY_ID_INDEX = 'byId';

/** The ledger's TTL attribute (epoch seconds): set on feedback claims and confirmation slots only. */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAt';

/** Ledger key prefix of the subscribe form's window counters (`confirm#<key>#<window start>`); the subscribe function may write only these. */
export const CONFIRM_KEY_PREFIX = 'confirm#';

/**
 * Ledger GSI of a list's issues: partition key `list`, sort key `claimedAt` (ISO 8601, so newest last), the issue's
 * `id` projected. Sparse: only issue items (`issue#<list>#<id>`) carry `list`; deliveries, counters and claims do not.
 */
export const LEDGER_ISSUES_BY_LIST_INDEX = 'issuesByList';
