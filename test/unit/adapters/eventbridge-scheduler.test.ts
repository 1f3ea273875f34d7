import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { EventBridgeIssueScheduler } from '../../../src/adapters/aws/eventbridge-scheduler.js';
import type { ScheduledStart } from '../../../src/model.js';

const target = {
  groupName: 'newsbrief',
  targetArn: 'arn:aws:lambda:eu-west-1:1:function:start',
  roleArn: 'arn:aws:iam::1:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:1:dlq',
};
const start: ScheduledStart = {
  name: 'weekly.issue-9',
  at: '2026-03-03T06:00:00Z',
  message: {
    format: 'newsbrief/start-issue@1',
    issue: { list: 'weekly', id: 'issue-9' },
    renderedKey: 'rendered/weekly/issue-9/issue.json',
    version: 'v1',
  },
};

/** A client that records commands and answers as the script says. */
function client(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const fake = {
    send: async (command: unknown) => {
      sent.push(command);
      return answer(command);
    },
  } as unknown as SchedulerClient;
  return { fake, sent };
}

describe('EventBridgeIssueScheduler', () => {
  it('creates one one-time schedule in UTC, deleted after it fires, invoking the start function with the message', async () => {
    const { fake, sent } = client();
    expect(await new EventBridgeIssueScheduler(fake, target).upsert(start)).toBe('created');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(CreateScheduleCommand);
    expect((sent[0] as CreateScheduleCommand).input).toMatchObject({
      Name: 'weekly.issue-9',
      GroupName: 'newsbrief',
      ScheduleExpression: 'at(2026-03-03T06:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: target.targetArn, RoleArn: target.roleArn, DeadLetterConfig: { Arn: target.deadLetterArn } },
    });
    expect(JSON.parse((sent[0] as CreateScheduleCommand).input.Target!.Input!)).toEqual(start.message);
  });

  it("updates the issue's schedule in place when it exists (a re-upload)", async () => {
    const { fake, sent } = client((c) => {
      if (c instanceof CreateScheduleCommand) throw new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} });
      return {};
    });
    expect(await new EventBridgeIssueScheduler(fake, target).upsert(start)).toBe('replaced');
    expect(sent[1]).toBeInstanceOf(UpdateScheduleCommand);
    expect((sent[1] as UpdateScheduleCommand).input.ScheduleExpression).toBe('at(2026-03-03T06:00:00)');
  });

  it('deletes on cancel, and reports a schedule that is already gone', async () => {
    const { fake, sent } = client((c) => {
      if (c instanceof DeleteScheduleCommand && sent.length > 1)
        throw new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} });
      return {};
    });
    const scheduler = new EventBridgeIssueScheduler(fake, target);
    expect(await scheduler.cancel('weekly.issue-9')).toBe(true);
    expect(await scheduler.cancel('weekly.issue-9')).toBe(false);
    expect((sent[0] as DeleteScheduleCommand).input).toEqual({ Name: 'weekly.issue-9', GroupName: 'newsbrief' });
  });
});
