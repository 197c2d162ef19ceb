/**
 * Minimal typings for pouchdb-selector-core 9 (the package ships none). Only what src/ledger uses
 * and what its tests compare against is declared.
 */
declare module 'pouchdb-selector-core' {
  export interface SortRow {
    doc: Record<string, unknown>;
  }
  /** A comparator over rows `{doc}` built from a Mango sort spec `[{field: 'asc' | 'desc'}]`. */
  export function createFieldSorter(sort: ReadonlyArray<Record<string, 'asc' | 'desc'>>): (a: SortRow, b: SortRow) => number;
  /** Splits a Mango field name on unescaped dots ("a.b\\.c" -> ["a", "b.c"]). */
  export function parseField(fieldName: string): string[];
  /** PouchDB's in-memory Mango matcher (throws Error on unknown operators). */
  export function matchesSelector(doc: unknown, selector: Record<string, unknown>): boolean;
  export function massageSelector(selector: Record<string, unknown>): Record<string, unknown>;
}
