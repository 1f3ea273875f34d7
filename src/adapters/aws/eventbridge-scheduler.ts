/**
 * IssueScheduler on EventBridge Scheduler: one one-time `at(...)` schedule per issue in newsbrief's group,
 * in UTC, deleted by the service after it fires (ActionAfterCompletion DELETE). The target is the start
 * function, invoked with the StartMessage as its event; failed invocations go to a dead-letter queue.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { IssueScheduler } from '../../ports.js';
import type { ScheduledStart } from '../../model.js';
import { atExpression } from '../../schedule/decide-start.js';

/** Where schedules go and what they invoke. */
export interface SchedulerTarget {
  readonly groupName: string;
  /** ARN of the start function. */
  readonly targetArn: string;
  /** Role Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Queue for invocations that failed after Scheduler's retries. */
  readonly deadLetterArn?: string | undefined;
}

/** EventBridge Scheduler adapter. */
export class EventBridgeIssueScheduler implements IssueScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  async upsert(start: ScheduledStart): Promise<'created' | 'replaced'> {
    const input = this.inputOf(start);
    try {
      await this.client.send(new CreateScheduleCommand(input));
      return 'created';
    } catch (error) {
      // Scheduler has no upsert: a name taken by this issue's earlier upload is updated in place.
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
      return 'replaced';
    }
  }

  async cancel(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  /** The request for one schedule (exported shape for tests). */
  inputOf(start: ScheduledStart): CreateScheduleCommandInput {
    return {
      Name: start.name,
      GroupName: this.target.groupName,
      ScheduleExpression: atExpression(start.at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: `newsbrief: start ${start.message.issue.list}/${start.message.issue.id}`,
      Target: {
        Arn: this.target.targetArn,
        RoleArn: this.target.roleArn,
        Input: JSON.stringify(start.message),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        ...(this.target.deadLetterArn ? { DeadLetterConfig: { Arn: this.target.deadLetterArn } } : {}),
      },
    };
  }
}
