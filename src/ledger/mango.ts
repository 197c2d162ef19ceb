/**
 * CouchDB Mango (`_find`) query execution in memory, for Fabric rich queries: everything a query
 * does around its selector (the selector itself, collation and field access are in
 * mangoSelector.ts).
 *
 * What comes from where:
 *   - Query options and their validation (selector, sort, fields, skip, limit, bookmark,
 *     use_index): CouchDB src/mango/src/mango_opts.erl (validate_find), mango_sort.erl,
 *     mango_fields.erl; error names and reasons: mango_error.erl.
 *   - What Fabric does to the query text first: statecouchdb/statecouchdb.go
 *     applyAdditionalQueryOptions (parseFabricQuery).
 *   - Result order: CouchDB's `_all_docs` order, or that of a JSON index on the sort fields
 *     (selectAndSort); pagination by bookmark, in a format of our own (CouchDB's is opaque too).
 *   - Projection: mango_fields.erl extract, then statecouchdb/couchdoc_conv.go
 *     validateAndRetrieveFields and Go's json.Marshal, as Fabric returns projected documents.
 *   - runMango: a whole `_find` with CouchDB's own limit and bookmark, for tests and tools.
 */
import { compareUtf8 } from './bytes.js';
import { couchError, LedgerError } from './errors.js';
import {
  BAD_PATH,
  collate,
  collateRaw,
  getField,
  isObject,
  normalizeSelector,
  matchesNormalized,
  NOT_FOUND,
  pathOf,
  show,
  type Json,
  type JsonObject,
  type Sel,
} from './mangoSelector.js';

// ---- query options (mango_opts:validate_find) -----------------------------------------------

const FIND_KEYS = new Set([
  'selector',
  'use_index',
  'bookmark',
  'limit',
  'skip',
  'sort',
  'fields',
  'partition',
  'r',
  'conflicts',
  'stale',
  'update',
  'stable',
  'execution_stats',
  'allow_fallback',
]);

export interface MangoSort {
  fields: string[];
  paths: string[][];
  descending: boolean;
}

export interface MangoQuery {
  /** Normalized selector. */
  selector: Sel;
  sort: MangoSort | undefined;
  /** Projection, undefined = whole documents. */
  fields: string[] | undefined;
  skip: number;
  /** CouchDB default 25 when absent (mango_opts default_limit). Fabric overrides it, see ledger. */
  limit: number;
  limitGiven: boolean;
  /** A bookmark given inside the query JSON ('' = none). */
  bookmark: string;
}

function nonNegInt(v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0) {
    throw couchError('invalid_non_neg_integer', `${show(v)} is not an integer greater than or equal to zero`);
  }
  return v as number;
}

function parseSort(v: unknown): MangoSort | undefined {
  if (!Array.isArray(v)) throw couchError('invalid_sort_json', `Sort must be an array of sort specs, not: ${show(v)}`);
  if (v.length === 0) return undefined;
  const fields: string[] = [];
  const dirs = new Set<string>();
  for (const spec of v) {
    if (typeof spec === 'string') {
      fields.push(spec);
      dirs.add('asc');
    } else if (isObject(spec) && Object.keys(spec).length === 1) {
      const [f, d] = Object.entries(spec)[0] as [string, unknown];
      if (d !== 'asc' && d !== 'desc') throw couchError('invalid_sort_dir', `Invalid sort direction: ${show(d)}`);
      fields.push(f);
      dirs.add(d);
    } else {
      throw couchError('invalid_sort_field', `Invalid sort field: ${show(spec)}`);
    }
  }
  if (dirs.size > 1) {
    throw couchError('unsupported_mixed_sort', 'Sorts currently only support a single direction for all fields.');
  }
  return { fields, paths: fields.map(pathOf), descending: dirs.has('desc') };
}

/** Validates a `_find` body (already JSON-parsed). */
export function parseMangoQueryObject(q: unknown): MangoQuery {
  if (!isObject(q)) throw couchError('invalid_ejson', `Invalid JSON value: ${show(q)}`);
  if (!('selector' in q)) throw couchError('missing_required_key', 'Missing required key: selector');
  for (const k of Object.keys(q)) {
    if (!FIND_KEYS.has(k)) throw couchError('invalid_key', `Invalid key ${k} for this request.`);
  }
  const selector = normalizeSelector(q.selector);
  const sort = q.sort === undefined ? undefined : parseSort(q.sort);
  let fields: string[] | undefined;
  if (q.fields !== undefined) {
    if (!Array.isArray(q.fields)) throw couchError('invalid_fields', `Fields must be an array of strings, not: ${show(q.fields)}`);
    for (const f of q.fields) if (typeof f !== 'string') throw couchError('invalid_field', `Invalid JSON for field spec: ${show(f)}`);
    fields = q.fields.length === 0 ? undefined : (q.fields as string[]);
  }
  let bookmark = '';
  if (q.bookmark !== undefined && q.bookmark !== null) {
    if (typeof q.bookmark !== 'string') throw couchError('invalid_bookmark', `Invalid bookmark value: ${show(q.bookmark)}`);
    bookmark = q.bookmark;
  }
  if (q.use_index !== undefined && q.use_index !== null) {
    const u = q.use_index;
    const ok = typeof u === 'string' || (Array.isArray(u) && u.length <= 2 && u.every((x) => typeof x === 'string'));
    if (!ok) throw couchError('invalid_index_name', `Invalid index name: ${show(u)}`);
  }
  return {
    selector,
    sort,
    fields,
    skip: q.skip === undefined ? 0 : nonNegInt(q.skip),
    limit: q.limit === undefined ? 25 : nonNegInt(q.limit),
    limitGiven: q.limit !== undefined,
    bookmark,
  };
}

/** Parses and validates query text (invalid JSON is reported like Fabric's Go decoder would be). */
export function parseMangoQuery(text: string): MangoQuery {
  let q: unknown;
  try {
    q = JSON.parse(text);
  } catch (e) {
    // Fabric decodes the query with Go's encoding/json first (applyAdditionalQueryOptions), so
    // CouchDB never sees invalid JSON; the Go error text cannot be reproduced, the code can.
    throw new LedgerError('INVALID_QUERY', `invalid query JSON: ${(e as Error).message}`);
  }
  return parseMangoQueryObject(q);
}

/**
 * What a Fabric peer does with a rich query string before CouchDB sees it
 * (statecouchdb/statecouchdb.go applyAdditionalQueryOptions): decode it as a JSON object, insist
 * that `fields` is an array, and overwrite `limit` (with the internal chunk size). The query's own
 * `limit` is therefore ignored, whatever its value; its `bookmark` survives unless the caller
 * paginates with one.
 */
export function parseFabricQuery(text: string): MangoQuery {
  let q: unknown;
  try {
    q = JSON.parse(text);
  } catch (e) {
    throw new LedgerError('INVALID_QUERY', `invalid query JSON: ${(e as Error).message}`);
  }
  if (q === null) {
    // Go decodes `null` into a nil map and the peer then assigns into it: a recovered panic.
    throw new LedgerError('INVALID_QUERY', 'panic during execution');
  }
  if (!isObject(q)) {
    const t = Array.isArray(q) ? 'array' : typeof q === 'boolean' ? 'bool' : typeof q;
    throw new LedgerError('INVALID_QUERY', `json: cannot unmarshal ${t} into Go value of type map[string]interface {}`);
  }
  if ('fields' in q && !Array.isArray(q.fields)) throw new LedgerError('INVALID_QUERY', 'fields definition must be an array');
  const { limit: _ignored, ...rest } = q;
  return parseMangoQueryObject(rest);
}

// ---- rows, ordering, bookmarks, projection ----------------------------------------------------

/** A candidate document: its key (`_id`) and its JSON body with `_id` set. */
export interface MangoDoc {
  key: string;
  doc: JsonObject;
}

export interface MangoRow<T extends MangoDoc = MangoDoc> {
  item: T;
  /** Values of the sort fields (only when the query sorts). */
  sortValues: Json[];
}

/** A position in a query's result order: what bookmarks encode. */
export interface Position {
  key: string;
  sortValues: Json[];
}

/**
 * Filters and orders candidates as CouchDB's `_find` would before skip/limit: matching documents
 * in `_id` order (the `_all_docs` index), or, with a sort, in the order of a JSON index on the
 * sort fields. Such an index only contains documents that have every sort field, so documents
 * missing one are left out, exactly as CouchDB leaves them out.
 */
export function selectAndSort<T extends MangoDoc>(query: MangoQuery, docs: Iterable<T>): MangoRow<T>[] {
  const rows: MangoRow<T>[] = [];
  for (const item of docs) {
    if (!matchesNormalized(query.selector, item.doc)) continue;
    if (query.sort === undefined) {
      rows.push({ item, sortValues: [] });
      continue;
    }
    const vals: Json[] = [];
    let complete = true;
    for (const p of query.sort.paths) {
      const v = getField(item.doc, p);
      if (v === NOT_FOUND || v === BAD_PATH) {
        complete = false;
        break;
      }
      vals.push(v as Json);
    }
    if (complete) rows.push({ item, sortValues: vals });
  }
  rows.sort((a, b) => comparePositions(query, { key: a.item.key, sortValues: a.sortValues }, { key: b.item.key, sortValues: b.sortValues }));
  return rows;
}

/** Order of two positions under the query's sort (descending reverses the whole index order). */
export function comparePositions(query: MangoQuery, a: Position, b: Position): number {
  let c = 0;
  if (query.sort !== undefined) {
    const { fields } = query.sort;
    for (let i = 0; i < fields.length && c === 0; i++) {
      c = fields[i] === '_id' ? collateRaw(a.sortValues[i], b.sortValues[i]) : collate(a.sortValues[i], b.sortValues[i]);
    }
  }
  if (c === 0) c = compareUtf8(a.key, b.key);
  return query.sort?.descending === true ? -c : c;
}

export function positionOf<T extends MangoDoc>(row: MangoRow<T>): Position {
  return { key: row.item.key, sortValues: row.sortValues };
}

/** Index of the first row strictly after `pos` (rows sorted by comparePositions). */
export function firstAfter<T extends MangoDoc>(query: MangoQuery, rows: readonly MangoRow<T>[], pos: Position | undefined): number {
  if (pos === undefined) return 0;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePositions(query, positionOf(rows[mid] as MangoRow<T>), pos) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const BOOKMARK_PREFIX = 'ccb1_';

/**
 * Our bookmark format (CouchDB's is opaque too): `ccb1_` + base64url(JSON {k: key, s: sort
 * values}) of the last row returned. The next page starts strictly after that position, so
 * inserts and deletes between pages neither repeat nor skip rows that stay in place.
 */
export function encodeBookmark(pos: Position): string {
  return BOOKMARK_PREFIX + Buffer.from(JSON.stringify({ k: pos.key, s: pos.sortValues }), 'utf8').toString('base64url');
}

export function decodeBookmark(bookmark: string): Position | undefined {
  if (bookmark === '' || bookmark === 'nil') return undefined;
  const fail = () => couchError('invalid_bookmark', `Invalid bookmark value: ${JSON.stringify(bookmark)}`);
  if (!bookmark.startsWith(BOOKMARK_PREFIX)) throw fail();
  try {
    const o = JSON.parse(Buffer.from(bookmark.slice(BOOKMARK_PREFIX.length), 'base64url').toString('utf8')) as unknown;
    if (!isObject(o) || typeof o.k !== 'string' || !Array.isArray(o.s)) throw fail();
    return { key: o.k, sortValues: o.s as Json[] };
  } catch {
    throw fail();
  }
}

/**
 * mango_fields:extract: keeps only the listed fields (dotted paths build nested objects). With
 * `dropId` (the Fabric path) `_id` is removed afterwards, because Fabric strips it
 * (statecouchdb/couchdoc_conv.go validateAndRetrieveFields removes `_id`, `_rev`, `~version`).
 */
export function project(fields: readonly string[], doc: JsonObject, dropId = true): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    const path = pathOf(f);
    const v = getField(doc, path);
    if (v === NOT_FOUND || v === BAD_PATH) continue;
    let o: JsonObject = out;
    for (let i = 0; i < path.length - 1; i++) {
      const name = path[i] as string;
      const next = o[name];
      if (!isObject(next)) o[name] = {};
      o = o[name] as JsonObject;
    }
    o[path[path.length - 1] as string] = v as Json;
  }
  if (dropId) delete out._id;
  return out;
}

/**
 * Go's json.Marshal of a map[string]interface{}: keys sorted, `<`, `>`, `&`, U+2028 and U+2029
 * escaped. Fabric re-marshals projected documents this way before handing them to chaincode.
 */
export function goJsonMarshal(v: Json): string {
  if (v === null || typeof v !== 'object') {
    return JSON.stringify(v)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  }
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
  const keys = Object.keys(v).sort(compareUtf8);
  return `{${keys.map((k) => `${goJsonMarshal(k)}:${goJsonMarshal(v[k] as Json)}`).join(',')}}`;
}

// ---- a whole _find, for tests and tools -------------------------------------------------------

export interface FindResult {
  docs: JsonObject[];
  bookmark: string;
}

/**
 * Runs a `_find` over documents the way CouchDB does (limit default 25, skip, sort, fields,
 * bookmark). Documents must carry their `_id`. The ledger does not call this: Fabric rewrites the
 * query's limit and bookmark (see queries.ts), so the ledger uses the pieces above.
 */
export function runMango(query: string | object, docs: readonly JsonObject[]): FindResult {
  const q = typeof query === 'string' ? parseMangoQuery(query) : parseMangoQueryObject(query);
  const items: MangoDoc[] = docs.map((doc) => ({ key: String(doc._id), doc }));
  const rows = selectAndSort(q, items);
  const start = firstAfter(q, rows, decodeBookmark(q.bookmark));
  const page = rows.slice(start + q.skip, start + q.skip + q.limit);
  const last = page[page.length - 1];
  return {
    docs: page.map((r) => (q.fields === undefined ? r.item.doc : project(q.fields, r.item.doc, false))),
    bookmark: last === undefined ? 'nil' : encodeBookmark(positionOf(last)),
  };
}
