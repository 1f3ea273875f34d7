/** Who one message goes to. The id is opaque and stable; it, not the address, goes into links. */
export interface Recipient {
  readonly id: string;
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}
