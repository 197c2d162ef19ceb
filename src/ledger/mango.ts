/**
 * CouchDB Mango (`_find`) semantics in memory, for Fabric rich queries.
 *
 * What comes from where:
 *   - Query options and their validation: CouchDB src/mango/src/mango_opts.erl (validate_find),
 *     mango_sort.erl, mango_fields.erl; error names and reasons: mango_error.erl.
 *   - Selector normalization and matching: CouchDB mango_selector.erl (norm_ops, norm_fields,
 *     norm_negations, match) and mango_doc.erl (get_field). They are re-implemented here rather
 *     than delegated to pouchdb-selector-core's `matchesSelector`, because PouchDB differs from
 *     CouchDB exactly where Fabric users notice: a missing field matches `$ne`, `$not` and `$nor`
 *     in PouchDB but never in CouchDB (CouchDB pushes negations down to the field and fails any
 *     condition on a missing field except `{"$exists": false}`); `null` never matches `$in`/`$nin`
 *     in PouchDB; PouchDB rejects field-level `$and`/`$or` and `$keyMapMatch`/`$beginsWith`.
 *   - Value ordering (the `$lt`/`$gt`/`$eq`/`$in` comparisons and `sort`): CouchDB collation as
 *     implemented by pouchdb-selector-core (through pouchdb-collate): null < false < true <
 *     numbers < strings < arrays < objects, arrays and objects element by element. That is the
 *     part mingo/sift get wrong (they use MongoDB's type brackets).
 *
 * Known gaps, all documented in docs/ledger.md: strings compare by UTF-16 code unit (CouchDB uses
 * ICU collation, so "B" < "a" here but "a" < "B" in CouchDB); `$regex` uses JavaScript RegExp
 * (CouchDB uses PCRE); `$text` needs a text index and is refused.
 */
import { createRequire } from 'node:module';
import type * as PouchSelectorCore from 'pouchdb-selector-core';

// Loaded on the first rich query, not at start-up: the dev peer must be listening within 300 ms and
// most sessions never run a rich query.
let pouch: typeof PouchSelectorCore | undefined;
const pouchdb = (): typeof PouchSelectorCore => (pouch ??= createRequire(import.meta.url)('pouchdb-selector-core') as typeof PouchSelectorCore);
import { compareUtf8 } from './bytes.js';
import { couchError, LedgerError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A normalized selector node: an object with exactly one key (or the empty selector). */
type Sel = { [k: string]: unknown };

// ---- collation ------------------------------------------------------------------------------

let oneFieldSorterFn: ReturnType<typeof PouchSelectorCore.createFieldSorter> | undefined;
const oneFieldSorter = (a: unknown, b: unknown) => (oneFieldSorterFn ??= pouchdb().createFieldSorter([{ v: 'asc' }]))(a as never, b as never);

/**
 * CouchDB collation of two JSON values, via pouchdb-selector-core's field sorter (which calls
 * pouchdb-collate): sorting two one-field documents with equal ids compares exactly the values.
 */
export function collate(a: unknown, b: unknown): number {
  const r = oneFieldSorter({ doc: { v: a, _id: '' } }, { doc: { v: b, _id: '' } });
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

/** mango_json:cmp_raw, used for `_id`: document ids compare as raw bytes. */
function collateRaw(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b);
  return collate(a, b);
}

type Cmp = (a: unknown, b: unknown) => number;

// ---- helpers --------------------------------------------------------------------------------

function isObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Erlang's ~w is close enough to JSON for the reasons we print. */
function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

const only = (s: Sel): [string, unknown] => {
  const k = Object.keys(s)[0] as string;
  return [k, s[k]];
};

const sel1 = (k: string, v: unknown): Sel => ({ [k]: v });

// ---- normalization (mango_selector:normalize) ------------------------------------------------

const UNSUPPORTED = new Set(['$where', '$geoWithin', '$geoIntersects', '$near', '$nearSphere']);
const COMPARISONS = new Set(['$lt', '$lte', '$eq', '$ne', '$gte', '$gt']);

function normOps(s: unknown): Sel {
  if (!isObject(s)) return sel1('$eq', s);
  const keys = Object.keys(s);
  if (keys.length === 0) return sel1('$eq', s);
  if (keys.length > 1) return sel1('$and', keys.map((k) => normOps(sel1(k, s[k]))));
  const op = keys[0] as string;
  const arg = s[op];
  switch (op) {
    case '$and':
    case '$or':
    case '$nor':
      if (!Array.isArray(arg)) throw couchError('bad_arg', `Bad argument for operator ${op}: ${show(arg)}`);
      return sel1(op, arg.map(normOps));
    case '$not':
      if (!isObject(arg)) throw couchError('bad_arg', `Bad argument for operator $not: ${show(arg)}`);
      return sel1(op, normOps(arg));
    case '$in':
    case '$nin':
    case '$all':
      if (!Array.isArray(arg)) throw couchError('bad_arg', `Bad argument for operator ${op}: ${show(arg)}`);
      return sel1(op, arg);
    case '$exists':
      if (typeof arg !== 'boolean') throw couchError('bad_arg', `Bad argument for operator $exists: ${show(arg)}`);
      return sel1(op, arg);
    case '$type':
      if (typeof arg !== 'string') throw couchError('bad_arg', `Bad argument for operator $type: ${show(arg)}`);
      return sel1(op, arg);
    case '$mod':
      // CouchDB would crash on a zero divisor (Erlang `rem 0`); refuse it as a bad argument instead.
      if (!Array.isArray(arg) || arg.length !== 2 || !arg.every(Number.isInteger) || arg[0] === 0) {
        throw couchError('bad_arg', `Bad argument for operator $mod: ${show(arg)}`);
      }
      return sel1(op, arg);
    case '$regex':
      if (typeof arg !== 'string') throw couchError('bad_arg', `Bad argument for operator $regex: ${show(arg)}`);
      try {
        new RegExp(arg);
      } catch {
        throw couchError('bad_arg', `Bad argument for operator $regex: ${show(arg)}`);
      }
      return sel1(op, arg);
    case '$beginsWith':
      // CouchDB >= 3.4.
      if (typeof arg !== 'string') throw couchError('bad_arg', `Bad argument for operator $beginsWith: ${show(arg)}`);
      return sel1(op, arg);
    case '$elemMatch':
    case '$allMatch':
    case '$keyMapMatch':
      if (!isObject(arg)) throw couchError('bad_arg', `Bad argument for operator ${op}: ${show(arg)}`);
      return sel1(op, normOps(arg));
    case '$size':
      if (!Number.isInteger(arg) || (arg as number) < 0) {
        throw couchError('bad_arg', `Bad argument for operator $size: ${show(arg)}`);
      }
      return sel1(op, arg);
    case '$text':
      // Needs a text (search) index, which Fabric's CouchDB state database never creates.
      throw couchError('no_usable_index', 'No text index exists for this $text operator.');
    default:
      if (COMPARISONS.has(op)) return sel1(op, arg);
      if (UNSUPPORTED.has(op)) throw couchError('not_supported', `Unsupported operator: ${op}`);
      if (op.startsWith('$')) throw couchError('invalid_operator', `Invalid operator: ${op}`);
      return sel1(op, normOps(arg));
  }
}

function normFields(s: Sel, path: string): Sel {
  const keys = Object.keys(s);
  if (keys.length === 0) return path === '' ? s : sel1(path, s);
  const [k, arg] = only(s);
  switch (k) {
    case '$and':
    case '$or':
    case '$nor':
      return sel1(k, (arg as Sel[]).map((a) => normFields(a, path)));
    case '$not':
      return sel1(k, normFields(arg as Sel, path));
    case '$elemMatch':
    case '$allMatch':
    case '$keyMapMatch':
      return sel1(path, sel1(k, normFields(arg as Sel, '')));
    default:
      if (k.startsWith('$')) return sel1(path, s);
      return normFields(arg as Sel, path === '' ? k : `${path}.${k}`);
  }
}

const NEGATED: Record<string, string> = {
  $lt: '$gte',
  $lte: '$gt',
  $eq: '$ne',
  $ne: '$eq',
  $gte: '$lt',
  $gt: '$lte',
  $in: '$nin',
  $nin: '$in',
};

function normNegations(s: Sel): Sel {
  if (Object.keys(s).length === 0) return s;
  const [k, arg] = only(s);
  switch (k) {
    case '$not':
      return negate(arg as Sel);
    case '$nor':
      return sel1('$and', (arg as Sel[]).map(negate));
    case '$and':
    case '$or':
      return sel1(k, (arg as Sel[]).map(normNegations));
    case '$elemMatch':
    case '$allMatch':
    case '$keyMapMatch':
      return sel1(k, normNegations(arg as Sel));
    default:
      return s;
  }
}

function negate(s: Sel): Sel {
  const [k, arg] = only(s);
  switch (k) {
    case '$not':
      return normNegations(arg as Sel);
    case '$nor':
      return sel1('$or', (arg as Sel[]).map(normNegations));
    case '$and':
      return sel1('$or', (arg as Sel[]).map(negate));
    case '$or':
      return sel1('$and', (arg as Sel[]).map(negate));
    case '$exists':
      return sel1('$exists', !(arg as boolean));
    default: {
      const n = NEGATED[k];
      if (n !== undefined) return sel1(n, arg);
      if (k.startsWith('$')) return sel1('$not', s);
      return sel1(k, negate(arg as Sel));
    }
  }
}

/** mango_selector:normalize: validates operators and returns CouchDB's canonical selector tree. */
export function normalizeSelector(selector: unknown): Sel {
  if (!isObject(selector)) {
    throw couchError('invalid_selector_json', `Selector must be a JSON object, not: ${show(selector)}`);
  }
  if (Object.keys(selector).length === 0) return {};
  const norm = normNegations(normFields(normOps(selector), ''));
  const top = Object.keys(norm);
  if (top.includes('')) throw couchError('invalid_selector', 'One or more conditions is missing a field name.');
  return norm;
}

// ---- matching (mango_selector:match, mango_doc:get_field) -----------------------------------

const NOT_FOUND = Symbol('not_found');
const BAD_PATH = Symbol('bad_path');

function getField(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const name of path) {
    if (isObject(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, name)) return NOT_FOUND;
      v = v[name];
    } else if (Array.isArray(v)) {
      // mango_doc:get_field: a path element may index into an array.
      if (!/^[+-]?\d+$/.test(name)) return BAD_PATH;
      const pos = Number(name);
      if (pos < 0 || pos >= v.length) return BAD_PATH;
      v = v[pos];
    } else {
      return BAD_PATH;
    }
  }
  return v;
}

const parsedFields = new Map<string, string[]>();
function pathOf(field: string): string[] {
  let p = parsedFields.get(field);
  if (p === undefined) {
    p = pouchdb().parseField(field);
    if (parsedFields.size > 10_000) parsedFields.clear();
    parsedFields.set(field, p);
  }
  return p;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

const regexCache = new Map<string, RegExp>();
function regex(src: string): RegExp {
  let r = regexCache.get(src);
  if (r === undefined) {
    r = new RegExp(src);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(src, r);
  }
  return r;
}

function isExistsFalse(cond: unknown): boolean {
  if (!isObject(cond)) return false;
  const keys = Object.keys(cond);
  return keys.length === 1 && keys[0] === '$exists' && cond.$exists === false;
}

function match(s: Sel, value: unknown, cmp: Cmp): boolean {
  const keys = Object.keys(s);
  if (keys.length === 0) return true;
  const [k, arg] = only(s);
  switch (k) {
    case '$and':
      return (arg as Sel[]).every((a) => match(a, value, cmp));
    case '$or': {
      const args = arg as Sel[];
      return args.length === 0 || args.some((a) => match(a, value, cmp));
    }
    case '$not':
      return !match(arg as Sel, value, cmp);
    case '$all': {
      const args = arg as unknown[];
      if (args.length === 0 || !Array.isArray(value)) return false;
      const has = args.every((a) => value.some((v) => collate(v, a) === 0));
      const is = args.length === 1 && Array.isArray(args[0]) && collate(args[0], value) === 0;
      return has || is;
    }
    case '':
      return match(arg as Sel, value, cmp);
    case '$elemMatch':
      return Array.isArray(value) && value.some((v) => match(arg as Sel, v, cmp));
    case '$allMatch':
      return Array.isArray(value) && value.length > 0 && value.every((v) => match(arg as Sel, v, cmp));
    case '$keyMapMatch':
      return isObject(value) && Object.keys(value).some((key) => match(arg as Sel, key, cmp));
    case '$lt':
      return cmp(value, arg) < 0;
    case '$lte':
      return cmp(value, arg) <= 0;
    case '$eq':
      return cmp(value, arg) === 0;
    case '$ne':
      return cmp(value, arg) !== 0;
    case '$gte':
      return cmp(value, arg) >= 0;
    case '$gt':
      return cmp(value, arg) > 0;
    case '$in': {
      const args = arg as unknown[];
      if (Array.isArray(value)) return args.some((a) => value.some((v) => cmp(v, a) === 0));
      return args.some((a) => cmp(value, a) === 0);
    }
    case '$nin': {
      const args = arg as unknown[];
      if (args.length === 0) return true;
      if (Array.isArray(value)) return !args.some((a) => value.some((v) => cmp(v, a) === 0));
      return args.every((a) => cmp(value, a) !== 0);
    }
    case '$exists':
      // Reached only for a field that was found (see the field case below).
      return arg as boolean;
    case '$type':
      return typeName(value) === arg;
    case '$mod': {
      const [d, r] = arg as [number, number];
      return typeof value === 'number' && Number.isInteger(value) && value % d === r;
    }
    case '$regex':
      return typeof value === 'string' && regex(arg as string).test(value);
    case '$beginsWith':
      return typeof value === 'string' && value.startsWith(arg as string);
    case '$size':
      return Array.isArray(value) && value.length === arg;
    default: {
      if (k.startsWith('$')) throw couchError('invalid_operator', `Invalid operator: ${k}`);
      const sub = getField(value, pathOf(k));
      if (sub === NOT_FOUND) return isExistsFalse(arg);
      if (sub === BAD_PATH) return false;
      return match(arg as Sel, sub, k === '_id' ? collateRaw : cmp);
    }
  }
}

/** True when the document (a JSON object including `_id`) matches a normalized selector. */
export function matchesNormalized(selector: Sel, doc: JsonObject): boolean {
  return match(selector, doc, collate);
}

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
 * query's limit and bookmark (see simulation.ts), so the ledger uses the pieces above.
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
