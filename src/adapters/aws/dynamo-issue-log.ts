/**
 * A list's issues, newest first, from the ledger's sparse `issuesByList` index (only issue items carry `list`):
 * one Query of a page of small entries, whatever the number of deliveries, lists or issues in the table. The
 * index is eventually consistent: an issue claimed a moment ago may be missing for a moment, which a report can bear.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_ISSUES_BY_LIST_INDEX } from '../../config/table-indexes.js';
import type { IssueRef } from '../../model.js';

/** One issue of a list as the index has it. */
export interface LoggedIssue extends IssueRef {
  /** ISO 8601: when the issue was claimed (what orders the index). */
  readonly claimedAt: string;
}

/** The most recent issues of a list, newest first. */
export class DynamoIssueLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** At most `limit` (≥ 1) issues of `list`, newest first. */
  async recentIssues(list: string, limit: number): Promise<LoggedIssue[]> {
    const issues: LoggedIssue[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: LEDGER_ISSUES_BY_LIST_INDEX,
          KeyConditionExpression: '#list = :list',
          ExpressionAttributeNames: { '#list': 'list' },
          ExpressionAttributeValues: { ':list': list },
          ScanIndexForward: false,
          Limit: limit - issues.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? [])
        if (typeof item.id === 'string' && typeof item.claimedAt === 'string')
          issues.push({ list, id: item.id, claimedAt: item.claimedAt });
      start = page.LastEvaluatedKey;
    } while (start && issues.length < limit);
    return issues;
  }
}
