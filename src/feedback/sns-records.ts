/**
 * SNS envelopes around SES events: only messages from the configured topic are read. Anyone can publish
 * to a topic they own and subscribe our function only if we let them, but checking the TopicArn costs
 * nothing and keeps a mis-wired subscription from suppressing real readers.
 */
import type { SNSEvent } from 'aws-lambda';
import { type ParsedSesEvent, parseSesEvent } from './parse-ses-event.js';

/** One SNS record's SES event, or why it was ignored. */
export type SnsFeedbackRecord = { readonly snsMessageId: string } & (ParsedSesEvent | { readonly ok: false; readonly ignored: string });

/** Parses the SES events of an SNS event, ignoring records from any topic but `topicArn`. */
export function sesEventsFromSns(event: SNSEvent, topicArn: string): SnsFeedbackRecord[] {
  return (event.Records ?? []).map((record) => {
    const sns = record.Sns;
    if (!sns || sns.TopicArn !== topicArn)
      return { snsMessageId: sns?.MessageId ?? '?', ok: false, ignored: `message from foreign topic ${sns?.TopicArn ?? '(none)'}` };
    return { snsMessageId: sns.MessageId, ...parseSesEvent(sns.Message) };
  });
}
