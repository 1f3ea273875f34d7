/**
 * The watched briefs folder: every `*.json` in it, re-validated and re-rendered shortly after it changes.
 * fs.watch fires several times per save (editors write, rename, touch), so changes are debounced per file,
 * and a render that finishes after a newer one started is dropped.
 */
import { EventEmitter } from 'node:events';
import { type FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { readBriefFile } from '../wiring/local-files.js';
import type { Preview } from './build-preview.js';

/** One file of the folder and its latest preview. */
export interface CatalogEntry {
  /** File name inside the folder, e.g. `oracle-tiktok.json`. */
  readonly file: string;
  readonly preview: Preview;
  /** When the preview was made (ms since the epoch). */
  readonly updatedAt: number;
}

/** Renders one file's bytes; given by the studio so that the catalog stays free of rendering concerns. */
export type PreviewFn = (bytes: Uint8Array, file: string) => Promise<Preview>;

const DEBOUNCE_MS = 50;

/** Watches a folder of briefs; emits `change` with the file name after each re-render or removal. */
export class BriefCatalog extends EventEmitter<{ change: [file: string]; error: [error: unknown] }> {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();
  private watcher: FSWatcher | undefined;

  constructor(
    readonly folder: string,
    private readonly preview: PreviewFn,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Renders every brief in the folder, then starts watching it. */
  async start(): Promise<void> {
    await Promise.all(this.briefFiles().map((file) => this.refresh(file)));
    this.watcher = watch(this.folder, (_event, name) => {
      if (name?.endsWith('.json')) this.schedule(name.toString());
      else if (!name) for (const file of this.briefFiles()) this.schedule(file);
    });
  }

  /** Every entry, sorted by file name. */
  list(): CatalogEntry[] {
    return [...this.entries.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  /** The entry of one file, if the folder has it. */
  get(file: string): CatalogEntry | undefined {
    return this.entries.get(file);
  }

  /** Re-reads one file now (also what the watcher calls after its debounce). */
  async refresh(file: string): Promise<void> {
    const generation = (this.generation.get(file) ?? 0) + 1;
    this.generation.set(file, generation);
    let bytes: Uint8Array;
    try {
      bytes = readBriefFile(join(this.folder, file));
    } catch {
      // Deleted or renamed away (editors save by rename, so this is often followed by a create).
      if (this.entries.delete(file)) this.emit('change', file);
      return;
    }
    const preview = await this.preview(bytes, file);
    if (this.generation.get(file) !== generation) return;
    this.entries.set(file, { file, preview, updatedAt: this.now() });
    this.emit('change', file);
  }

  /** Stops watching; pending re-renders are dropped. */
  close(): void {
    this.watcher?.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(file: string): void {
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        this.refresh(file).catch((error: unknown) => this.emit('error', error));
      }, DEBOUNCE_MS),
    );
  }

  private briefFiles(): string[] {
    return readdirSync(this.folder).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
  }
}
