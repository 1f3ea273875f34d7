/**
 * The confirm step before a send: the page asks "Send to 1,234 subscribers of Weekly?" (or, for a brief
 * whose sendAt is ahead, when it will go), and the send carries what was confirmed. The studio sends only
 * when that still holds: a list that grew, or a time that passed, since the page was loaded asks again.
 * Pure: counts, times and time zones are passed in.
 */

/** What a person confirms: the list, how many subscribers get the issue, and when it starts. */
export interface SendConfirmation {
  readonly list: string;
  readonly listName: string;
  /** Subscribed members of the list now (of the brief's audience, when it has one). */
  readonly recipients: number;
  /** The brief's audience in words (`tag premium, country DE or AT`); absent: everyone subscribed. */
  readonly audience?: string | undefined;
  /** `now`, or the scheduled time (ISO 8601 UTC, whole seconds). */
  readonly start: string;
}

/** A scheduled time for people: in UTC, and in a named local time zone. */
export interface StartTime {
  readonly iso: string;
  /** `2026-12-24 07:00 UTC` */
  readonly utc: string;
  /** `Thu, 24 Dec 2026, 08:00 Europe/Berlin` (ICU's punctuation) */
  readonly local: string;
}

/** Why a send was not started. */
export interface ConfirmationRefusal {
  readonly status: 409 | 428;
  readonly message: string;
}

/** `1 subscriber`, `1,234 subscribers`. */
export function subscriberCount(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'subscriber' : 'subscribers'}`;
}

/** A scheduled time in UTC and in `timeZone` (the studio's machine's, unless given). */
export function describeStartTime(iso: string, timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone): StartTime {
  const date = new Date(iso);
  const utc = `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, date.getUTCSeconds() === 0 ? 16 : 19)} UTC`;
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
  return { iso, utc, local: `${local} ${timeZone}` };
}

/** The question the confirm step asks. */
export function confirmationQuestion(confirmation: SendConfirmation, timeZone?: string): string {
  const who = `${subscriberCount(confirmation.recipients)} of ${confirmation.listName}${confirmation.audience ? ` (${confirmation.audience})` : ''}`;
  if (confirmation.start === 'now') return `Send to ${who}?`;
  return `Schedule for ${who}, to go out at ${describeStartTime(confirmation.start, timeZone).utc}?`;
}

/** The form fields that carry a confirmation to the studio. */
export function confirmationFields(confirmation: SendConfirmation): Record<'list' | 'recipients' | 'start', string> {
  return { list: confirmation.list, recipients: String(confirmation.recipients), start: confirmation.start };
}

/**
 * Compares what was confirmed (a form body: list, recipients, start) with what a send would do now;
 * undefined when they agree.
 */
export function checkConfirmation(expected: SendConfirmation, body: string): ConfirmationRefusal | undefined {
  const form = new URLSearchParams(body);
  const [list, recipients, start] = [form.get('list'), form.get('recipients'), form.get('start')];
  if (list === null || recipients === null || start === null) {
    return {
      status: 428,
      message: `Nothing was sent: a send must be confirmed. The studio's Send button asks "${confirmationQuestion(expected)}" first.`,
    };
  }
  const again = 'Nothing was sent; reload the page and confirm again.';
  if (list !== expected.list)
    return { status: 409, message: `This brief is for ${expected.listName} now, not the list that was confirmed. ${again}` };
  if (start !== expected.start) {
    const now = expected.start === 'now' ? 'it would go out at once' : `it would be scheduled for ${describeStartTime(expected.start).utc}`;
    return { status: 409, message: `The brief's send time changed since the page was loaded: ${now}. ${again}` };
  }
  if (recipients !== String(expected.recipients)) {
    return {
      status: 409,
      message: `The list changed since the page was loaded: ${subscriberCount(expected.recipients)} of ${expected.listName} would get it now, not ${recipients}. ${again}`,
    };
  }
  return undefined;
}
