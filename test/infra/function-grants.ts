/**
 * Each newsbrief function's IAM grants read from a synthesized template, in a form a person can review and a
 * test can pin: per function, per resource (named by logical id without its hash, plus any condition), the
 * sorted actions allowed.
 */

type Json = Record<string, any>;

/** `{ 'PipelineSend': { 'TablesLedger (pk issue#*)': ['dynamodb:BatchGetItem', …], … }, … }` */
export type FunctionGrants = Record<string, Record<string, string[]>>;

const HASH = /[0-9A-F]{8}$/;

// An ARN in this account and region reads `ses:identity/…`.
const LOCAL_ARN = /^arn:\$\{AWS::Partition\}:([a-z0-9-]+):\$\{AWS::Region\}:\$\{AWS::AccountId\}:/;

/** A logical id without CDK's hash suffix: `PipelineSendQueue4A3B…` → `PipelineSendQueue`. */
export function baseId(logicalId: string): string {
  return logicalId.replace(HASH, '');
}

/** A resource of a policy statement as readable text: refs and attributes by base id, joins concatenated. */
export function describeResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v.Ref) return String(v.Ref).startsWith('AWS::') ? `\${${v.Ref}}` : baseId(v.Ref);
  if (v['Fn::GetAtt']) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    return attribute === 'Arn' ? baseId(id) : `${baseId(id)}.${attribute}`;
  }
  if (v['Fn::Join']) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(describeResource).join(separator);
  }
  return JSON.stringify(value);
}

// A condition as a short suffix; the ledger's LeadingKeys conditions read `(pk issue#*)`.
function describeCondition(condition: Json | undefined): string {
  if (!condition) return '';
  const leading = condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | string | undefined;
  if (leading && Object.keys(condition).length === 1) return ` (pk ${[leading].flat().sort().join(' | ')})`;
  return ` if ${JSON.stringify(condition)}`;
}

/**
 * The Allow grants of every function whose description starts with `newsbrief` (CDK's own helper functions,
 * such as the bucket-notifications handler, are left out), keyed by the function's base id without `Function`.
 */
export function functionGrants(template: Json): FunctionGrants {
  const resources = template.Resources as Record<string, Json>;
  const grants: FunctionGrants = {};
  for (const [fnId, fn] of Object.entries(resources)) {
    if (fn.Type !== 'AWS::Lambda::Function' || !String(fn.Properties?.Description ?? '').startsWith('newsbrief')) continue;
    const roleId = fn.Properties.Role['Fn::GetAtt']?.[0] ?? fn.Properties.Role.Ref;
    const byResource: Record<string, Set<string>> = {};
    for (const policy of Object.values(resources)) {
      if (policy.Type !== 'AWS::IAM::Policy') continue;
      if (!policy.Properties.Roles.some((r: Json) => r.Ref === roleId)) continue;
      for (const statement of policy.Properties.PolicyDocument.Statement as Json[]) {
        if (statement.Effect !== 'Allow') continue;
        const suffix = describeCondition(statement.Condition);
        for (const resource of [statement.Resource].flat()) {
          const key = `${describeResource(resource).replace(LOCAL_ARN, '$1:')}${suffix}`;
          byResource[key] ??= new Set();
          for (const action of [statement.Action].flat() as string[]) byResource[key].add(action);
        }
      }
    }
    const name = baseId(fnId).replace(/Function$/, '');
    grants[name] = Object.fromEntries(
      Object.keys(byResource)
        .sort()
        .map((key) => [key, [...byResource[key]!].sort()]),
    );
  }
  return grants;
}
