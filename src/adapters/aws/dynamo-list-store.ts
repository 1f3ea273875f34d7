/**
 * The lists table: one item per list, `id` its key and `document` the list as JSON (the same object as one
 * entry of config/lists.json). JSON in one attribute keeps the item exactly as validated, lets the stack
 * seed it with a plain PartiQL INSERT, and lets the schema grow without a migration.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ListStore } from '../../config/list-directory.js';
import { type ListDefinition, ListsConfigError, parseListDefinitions } from '../../config/lists.js';

/** The attributes of a list item (the stack's seeding writes the same). */
export const LIST_ITEM = { key: 'id', document: 'document', updatedAt: 'updatedAt' } as const;

/** Called for a stored item that no longer validates (edited by hand in the console): it is skipped, not served. */
export type InvalidListHandler = (id: string, error: Error) => void;

/** Lists in a DynamoDB table: what the functions read (through a cache) and what `newsbrief lists` edits. */
export class DynamoListStore implements ListStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onInvalid: InvalidListHandler = () => {},
  ) {}

  /** Every valid list, by a consistent Scan (a small table: one page for hundreds of lists). */
  async readAll(): Promise<ListDefinition[]> {
    const lists: ListDefinition[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new ScanCommand({ TableName: this.table, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        const list = this.parseItem(item);
        if (list) lists.push(list);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return lists.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One list, or undefined when the table has none by that id (or only an invalid one). */
  async get(id: string): Promise<ListDefinition | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [LIST_ITEM.key]: id }, ConsistentRead: true }));
    return out.Item ? this.parseItem(out.Item) : undefined;
  }

  /** Creates or replaces one list (already validated by the caller). */
  async put(list: ListDefinition, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { [LIST_ITEM.key]: list.id, [LIST_ITEM.document]: JSON.stringify(list), [LIST_ITEM.updatedAt]: at },
      }),
    );
  }

  /** Deletes one list; true when it existed. */
  async remove(id: string): Promise<boolean> {
    const out = await this.db.send(new DeleteCommand({ TableName: this.table, Key: { [LIST_ITEM.key]: id }, ReturnValues: 'ALL_OLD' }));
    return out.Attributes !== undefined;
  }

  private parseItem(item: Record<string, unknown>): ListDefinition | undefined {
    const id = String(item[LIST_ITEM.key]);
    try {
      const document = JSON.parse(String(item[LIST_ITEM.document]));
      const [list] = parseListDefinitions({ lists: [document] }, `list "${id}" in table ${this.table}`);
      if (list!.id !== id)
        throw new ListsConfigError(`list "${id}" in table ${this.table}`, [
          { pointer: '/lists/0/id', message: `differs from the item's key "${id}"` },
        ]);
      return list;
    } catch (error) {
      this.onInvalid(id, error as Error);
      return undefined;
    }
  }
}
