import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../src/config/env-names.js';
import { NewsbriefFunction } from './newsbrief-function.js';
import { grantUnsubscribing } from './table-access.js';

/** What receiving unsubscribe mail needs. */
export interface MailUnsubscribeProps {
  /** The address every message's `mailto:` unsubscribe names, e.g. `unsubscribe@news.example.com`. */
  readonly mailbox: string;
  /**
   * An existing receipt rule set to add the rule to: SES has one active rule set per account and region, so an
   * account that already receives mail keeps its own. Absent: a new rule set, which ops activate once (docs/deploy.md).
   */
  readonly ruleSetName?: string | undefined;
  readonly subscribers: dynamodb.ITable;
  /** The ledger, where an unsubscribe is counted once on the issue whose message carried the token. */
  readonly ledger: dynamodb.ITable;
  readonly keys: secretsmanager.ISecret;
  /** The environment the unsubscribe use-case reads besides its table and keys (the lists). */
  readonly environment: Record<string, string>;
  /** Handler module. @default 'lambdas/mail-unsubscribe.ts' */
  readonly entry?: string;
}

/**
 * The `mailto:` of List-Unsubscribe, served: an SES receipt rule for the mailbox invokes a function that
 * unsubscribes the reader whose signed token the mail's subject carries. Deployed only when a mailbox is
 * configured; without one no message advertises a mailto (see unsubscribeLinks).
 */
export class MailUnsubscribe extends Construct {
  readonly function: NewsbriefFunction;
  /** The rule set holding the rule; activate it unless it was given (`aws ses set-active-receipt-rule-set`). */
  readonly ruleSet: ses.IReceiptRuleSet;
  /** The one command that activates the new rule set; undefined when the rule joined an existing set. */
  readonly activationCommand?: string;
  /** Mail events the function failed on after Lambda's two retries: unsubscribe requests to replay by hand. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MailUnsubscribeProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetter', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function = new NewsbriefFunction(this, 'Function', {
      entry: props.entry ?? 'lambdas/mail-unsubscribe.ts',
      description: `newsbrief mail unsubscribe: mail to ${props.mailbox} unsubscribes the reader its subject's token names`,
      timeout: Duration.seconds(10),
      memorySize: 256,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        ...props.environment,
        [ENV.subscribersTable]: props.subscribers.tableName,
        [ENV.ledgerTable]: props.ledger.tableName,
        [ENV.keysSecretArn]: props.keys.secretArn,
      },
    });
    props.keys.grantRead(this.function.role);
    // Exactly what the unsubscribe link may do.
    grantUnsubscribing(this.function.role, props);

    if (props.ruleSetName !== undefined) {
      this.ruleSet = ses.ReceiptRuleSet.fromReceiptRuleSetName(this, 'RuleSet', props.ruleSetName);
    } else {
      const name = `${Stack.of(this).stackName}-inbound`;
      this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: name });
      this.activationCommand = `aws ses set-active-receipt-rule-set --rule-set-name ${name}`;
    }
    this.ruleSet.addRule('Unsubscribe', {
      recipients: [props.mailbox],
      // The token authenticates the request; scanning keeps SES from handing over spam or virus verdicts unread.
      scanEnabled: true,
      // The Lambda action adds the permission for ses.amazonaws.com (this account) to invoke the function.
      actions: [new actions.Lambda({ function: this.function.function, invocationType: actions.LambdaInvocationType.EVENT })],
    });
  }
}
