/**
 * The local lists: the lists file (config/lists.json unless told otherwise), which local mode and the CLI read.
 * `newsbrief lists put|remove` without --stack edit it in place: other lists, their order and the document's
 * other keys ($comment) are kept; the file is replaced whole (written beside it, then renamed).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ListStore } from '../../config/list-directory.js';
import { type ListDefinition, parseListDefinitions } from '../../config/lists.js';

type ListsDocument = Record<string, unknown> & { lists: Record<string, unknown>[] };

/** A lists file as a ListStore. */
export class ListsFileStore implements ListStore {
  constructor(private readonly path: string) {}

  /** Every list of the file (the file must validate as a whole). */
  async readAll(): Promise<ListDefinition[]> {
    return parseListDefinitions(this.read(), this.path);
  }

  /** One list of the file. */
  async get(id: string): Promise<ListDefinition | undefined> {
    return (await this.readAll()).find((list) => list.id === id);
  }

  /** Replaces the list with the same id in place, or appends it. */
  async put(list: ListDefinition): Promise<void> {
    const document = this.read();
    const index = document.lists.findIndex((l) => l.id === list.id);
    if (index >= 0) document.lists[index] = { ...list };
    else document.lists.push({ ...list });
    this.write(document);
  }

  /** Removes a list from the file; true when it was there. A file cannot lose its last list (local mode needs one). */
  async remove(id: string): Promise<boolean> {
    const document = this.read();
    const kept = document.lists.filter((l) => l.id !== id);
    if (kept.length === document.lists.length) return false;
    this.write({ ...document, lists: kept });
    return true;
  }

  private read(): ListsDocument {
    const document = JSON.parse(readFileSync(this.path, 'utf8')) as ListsDocument;
    if (!Array.isArray(document?.lists)) return { ...document, lists: [] };
    return document;
  }

  private write(document: ListsDocument): void {
    // Checked whole before it replaces the file: local mode must still start with it.
    parseListDefinitions(document, this.path);
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}
