/** SES event fixtures (documented shapes) and SNS envelopes around them, as Lambda receives them. */
import { readFileSync } from 'node:fs';
import type { SNSEvent } from 'aws-lambda';

/** A fixture from test/fixtures/ses, parsed. */
export function sesFixture(
  name: 'bounce-permanent' | 'bounce-transient' | 'complaint' | 'delivery' | 'complaint-untagged',
): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/ses/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
}

/** An SNS → Lambda event carrying `messages` (SES events) from `topicArn`. */
export function snsEvent(topicArn: string, ...messages: readonly unknown[]): SNSEvent {
  return {
    Records: messages.map((message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:sub-0001`,
      Sns: {
        Type: 'Notification',
        MessageId: `sns-${i}-${JSON.stringify(message).length}`,
        TopicArn: topicArn,
        Subject: null as unknown as string,
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-03-02T09:05:00.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}
