/**
 * A small in-memory DynamoDB for the deployed-path bench: the operations and the expression grammar the
 * send path uses (GetItem, PutItem, UpdateItem, DeleteItem, BatchGetItem, TransactWriteItems; conditions
 * with =, <>, <, <=, >, >=, AND, OR, NOT, attribute_exists/attribute_not_exists; updates with SET (incl.
 * if_not_exists, list_append), ADD and REMOVE), on the wire format (typed AttributeValues). Conditional
 * writes and transactions are atomic because the event loop runs one request at a time. moto_server does
 * the same job in the integration tests; this one costs the 2-core machine far less CPU per call.
 */

/** A DynamoDB AttributeValue as it travels in JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AttributeValue = Record<string, any>;
export type Item = Record<string, AttributeValue>;

/** An error DynamoDB answers with (its `__type` suffix and message). */
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface ExpressionContext {
  readonly names?: Record<string, string> | undefined;
  readonly values?: Record<string, AttributeValue> | undefined;
}

/** Tables by name, each with its key attribute names. */
export class FakeDynamo {
  private readonly tables = new Map<string, { keys: readonly string[]; items: Map<string, Item> }>();
  /** Requests served, by operation. */
  readonly calls = new Map<string, number>();

  constructor(keySchemas: Record<string, readonly string[]>) {
    for (const [name, keys] of Object.entries(keySchemas)) this.tables.set(name, { keys, items: new Map() });
  }

  /** Puts an item directly (seeding). */
  seed(table: string, item: Item): void {
    const t = this.table(table);
    t.items.set(this.keyOf(t.keys, item), item);
  }

  /** Every item of a table. */
  items(table: string): Item[] {
    return [...this.table(table).items.values()];
  }

  /** Handles one JSON request; returns the JSON answer or throws DynamoError. */
  handle(operation: string, input: Record<string, any>): unknown {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    switch (operation) {
      case 'GetItem': {
        const item = this.get(input.TableName, input.Key);
        return item ? { Item: project(item, input.ProjectionExpression, input.ExpressionAttributeNames) } : {};
      }
      case 'PutItem':
        this.check(input.TableName, this.keyItem(input.TableName, input.Item), input.ConditionExpression, input);
        this.seed(input.TableName, input.Item);
        return {};
      case 'UpdateItem': {
        this.check(input.TableName, input.Key, input.ConditionExpression, input);
        this.update(input.TableName, input.Key, input.UpdateExpression, input);
        return {};
      }
      case 'DeleteItem':
        this.check(input.TableName, input.Key, input.ConditionExpression, input);
        this.table(input.TableName).items.delete(this.keyOf(this.table(input.TableName).keys, input.Key));
        return {};
      case 'BatchGetItem': {
        const responses: Record<string, Item[]> = {};
        for (const [table, request] of Object.entries(input.RequestItems as Record<string, any>)) {
          responses[table] = (request.Keys as Item[])
            .map((key) => this.get(table, key))
            .filter((i): i is Item => i !== undefined)
            .map((i) => project(i, request.ProjectionExpression, request.ExpressionAttributeNames));
        }
        return { Responses: responses, UnprocessedKeys: {} };
      }
      case 'TransactWriteItems': {
        const actions = input.TransactItems as Array<Record<string, any>>;
        const reasons = actions.map((action) => {
          const [kind, body] = Object.entries(action)[0]!;
          const key = kind === 'Put' ? this.keyItem(body.TableName, body.Item) : body.Key;
          try {
            this.check(body.TableName, key, body.ConditionExpression, body);
            return { Code: 'None' };
          } catch (error) {
            if (error instanceof DynamoError && error.type === 'ConditionalCheckFailedException')
              return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
            throw error;
          }
        });
        if (reasons.some((r) => r.Code !== 'None')) {
          throw new DynamoError(
            'TransactionCanceledException',
            `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
            { CancellationReasons: reasons },
          );
        }
        for (const action of actions) {
          const [kind, body] = Object.entries(action)[0]!;
          if (kind === 'Put') this.seed(body.TableName, body.Item);
          else if (kind === 'Update') this.update(body.TableName, body.Key, body.UpdateExpression, body);
          else if (kind === 'Delete') this.table(body.TableName).items.delete(this.keyOf(this.table(body.TableName).keys, body.Key));
        }
        return {};
      }
      default:
        throw new DynamoError('UnknownOperationException', `the bench's DynamoDB does not implement ${operation}`);
    }
  }

  private table(name: string) {
    const t = this.tables.get(name);
    if (!t) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: table ${name}`);
    return t;
  }

  private keyOf(keys: readonly string[], item: Item): string {
    return keys.map((k) => JSON.stringify(item[k])).join('|');
  }

  private keyItem(table: string, item: Item): Item {
    return Object.fromEntries(this.table(table).keys.map((k) => [k, item[k]!]));
  }

  private get(table: string, key: Item): Item | undefined {
    const t = this.table(table);
    return t.items.get(this.keyOf(t.keys, key));
  }

  private check(table: string, key: Item, condition: string | undefined, context: Record<string, any>): void {
    if (!condition) return;
    const item = this.get(table, key);
    if (
      !evaluate(parseCondition(condition), item ?? {}, {
        names: context.ExpressionAttributeNames,
        values: context.ExpressionAttributeValues,
      })
    ) {
      throw new DynamoError('ConditionalCheckFailedException', 'The conditional request failed');
    }
  }

  private update(table: string, key: Item, expression: string, context: Record<string, any>): void {
    const t = this.table(table);
    const k = this.keyOf(t.keys, key);
    const item: Item = { ...(t.items.get(k) ?? key) };
    const ctx: ExpressionContext = { names: context.ExpressionAttributeNames, values: context.ExpressionAttributeValues };
    for (const [clause, body] of clauses(expression)) {
      for (const part of splitTop(body, ',')) {
        const text = part.trim();
        if (clause === 'SET') {
          const eq = text.indexOf('=');
          item[name(text.slice(0, eq).trim(), ctx)] = operand(text.slice(eq + 1).trim(), item, ctx)!;
        } else if (clause === 'REMOVE') {
          delete item[name(text, ctx)];
        } else if (clause === 'ADD') {
          const [path, value] = text.split(/\s+/);
          const attribute = name(path!, ctx);
          const add = operand(value!, item, ctx)!;
          item[attribute] = { N: String(Number(item[attribute]?.N ?? 0) + Number(add.N)) };
        } else throw new DynamoError('ValidationException', `the bench's DynamoDB does not implement ${clause}`);
      }
    }
    t.items.set(k, item);
  }
}

// The clauses of an update expression, in order: [keyword, body].
function clauses(expression: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const re = /\b(SET|REMOVE|ADD|DELETE)\b/g;
  const marks = [...expression.matchAll(re)];
  marks.forEach((m, i) => {
    out.push([m[1]!, expression.slice(m.index! + m[0].length, marks[i + 1]?.index ?? expression.length)]);
  });
  return out;
}

// Splits at `separator` outside parentheses.
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

function name(path: string, ctx: ExpressionContext): string {
  return path.startsWith('#') ? ctx.names![path]! : path;
}

// A value: :placeholder, an attribute path, if_not_exists(path, v), list_append(a, b), a + b, a - b.
function operand(text: string, item: Item, ctx: ExpressionContext): AttributeValue | undefined {
  const t = text.trim();
  const call = /^(\w+)\((.*)\)$/s.exec(t);
  if (call) {
    const args = splitTop(call[2]!, ',');
    if (call[1] === 'if_not_exists') return item[name(args[0]!.trim(), ctx)] ?? operand(args[1]!, item, ctx);
    if (call[1] === 'list_append') return { L: [...(operand(args[0]!, item, ctx)?.L ?? []), ...(operand(args[1]!, item, ctx)?.L ?? [])] };
    throw new DynamoError('ValidationException', `the bench's DynamoDB does not implement ${call[1]}`);
  }
  const arithmetic = /^([#:\w.]+)\s*([+-])\s*([#:\w.]+)$/.exec(t);
  if (arithmetic) {
    const a = Number(operand(arithmetic[1]!, item, ctx)?.N ?? 0);
    const b = Number(operand(arithmetic[3]!, item, ctx)?.N ?? 0);
    return { N: String(arithmetic[2] === '+' ? a + b : a - b) };
  }
  if (t.startsWith(':')) return ctx.values![t];
  return item[name(t, ctx)];
}

type Condition =
  | { readonly op: 'and' | 'or'; readonly a: Condition; readonly b: Condition }
  | { readonly op: 'not'; readonly a: Condition }
  | { readonly op: 'exists' | 'notExists'; readonly path: string }
  | { readonly op: 'compare'; readonly cmp: string; readonly left: string; readonly right: string };

const parsed = new Map<string, Condition>();

// Recursive descent over OR > AND > NOT > primary.
function parseCondition(text: string): Condition {
  let cached = parsed.get(text);
  if (cached) return cached;
  const tokens = text.match(/\(|\)|,|<>|<=|>=|=|<|>|[^\s(),<>=]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++]!;
  const or = (): Condition => {
    let left = and();
    while (peek()?.toUpperCase() === 'OR') {
      next();
      left = { op: 'or', a: left, b: and() };
    }
    return left;
  };
  const and = (): Condition => {
    let left = not();
    while (peek()?.toUpperCase() === 'AND') {
      next();
      left = { op: 'and', a: left, b: not() };
    }
    return left;
  };
  const not = (): Condition => {
    if (peek()?.toUpperCase() === 'NOT') {
      next();
      return { op: 'not', a: not() };
    }
    return primary();
  };
  const primary = (): Condition => {
    const token = next();
    if (token === '(') {
      const inner = or();
      next();
      return inner;
    }
    if (token === 'attribute_exists' || token === 'attribute_not_exists') {
      next();
      const path = next();
      next();
      return { op: token === 'attribute_exists' ? 'exists' : 'notExists', path };
    }
    const cmp = next();
    return { op: 'compare', cmp, left: token, right: next() };
  };
  cached = or();
  parsed.set(text, cached);
  return cached;
}

function evaluate(c: Condition, item: Item, ctx: ExpressionContext): boolean {
  switch (c.op) {
    case 'and':
      return evaluate(c.a, item, ctx) && evaluate(c.b, item, ctx);
    case 'or':
      return evaluate(c.a, item, ctx) || evaluate(c.b, item, ctx);
    case 'not':
      return !evaluate(c.a, item, ctx);
    case 'exists':
      return item[name(c.path, ctx)] !== undefined;
    case 'notExists':
      return item[name(c.path, ctx)] === undefined;
    case 'compare': {
      const a = operand(c.left, item, ctx);
      const b = operand(c.right, item, ctx);
      if (a === undefined || b === undefined) return c.cmp === '<>' && (a === undefined) !== (b === undefined);
      const order = compare(a, b);
      if (order === undefined) return c.cmp === '<>';
      return { '=': order === 0, '<>': order !== 0, '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 }[c.cmp] ?? false;
    }
  }
}

// Undefined when the types differ (DynamoDB: such a comparison is false, <> true).
function compare(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.N !== undefined && b.N !== undefined) return Number(a.N) - Number(b.N);
  if (a.S !== undefined && b.S !== undefined) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  if (a.BOOL !== undefined && b.BOOL !== undefined) return a.BOOL === b.BOOL ? 0 : 1;
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : undefined;
}

function project(item: Item, projection: string | undefined, names: Record<string, string> | undefined): Item {
  if (!projection) return item;
  const out: Item = {};
  for (const path of projection.split(',')) {
    const attribute = name(path.trim(), { names });
    if (item[attribute] !== undefined) out[attribute] = item[attribute]!;
  }
  return out;
}
