/** The local SES emulator's inbox (aws-ses-v2-local's `GET /store`), as the studio tests read it. */

/** A message in the local inbox: its HTML and the To entries (`"Name" <a@b>` or `a@b`). */
export interface InboxMail {
  readonly body: { readonly html: string };
  readonly destination: { readonly to: string[] };
}

/** Every message the emulator at `sesEndpoint` has taken so far. */
export async function localInbox(sesEndpoint: string): Promise<InboxMail[]> {
  return ((await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: InboxMail[] }).emails;
}

/** The address of a To entry (`"Name" <a@b>` or `a@b`), lower-cased. */
export const addressOf = (to: string): string => (/<([^>]+)>\s*$/.exec(to)?.[1] ?? to).toLowerCase();
