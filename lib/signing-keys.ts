import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The keyring that signs unsubscribe and confirmation tokens: `{ "current": "<kid>", "<kid>": "<secret>", … }`. */
export class SigningKeys extends Construct {
  /** The keyring secret; functions that sign or verify tokens get read access. */
  readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Secret does not satisfy its own ISecret under exactOptionalPropertyTypes (`secretFullArn?` against
    // `secretFullArn: string | undefined`); the members read the same, so the cast is sound.
    this.secret = new secretsmanager.Secret(this, 'Keyring', {
      description: 'newsbrief token signing keyring: { "current": "<kid>", "<kid>": "<secret>" }',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      // Deleting the keyring would invalidate every unsubscribe link already in inboxes.
      removalPolicy: RemovalPolicy.RETAIN,
    }) as secretsmanager.ISecret;
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is manual by key id: ops add k2 and switch "current" while k1 stays to verify links already sent; a rotation Lambda replacing the value would break every unsubscribe link in inboxes.',
    });
  }
}
