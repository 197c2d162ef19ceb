/**
 * CouchDB Mango selectors in memory, for Fabric rich queries: the JSON document types, value
 * collation, selector normalization and matching, and field access. What a query does around its
 * selector (options, sort, bookmarks, projection, a whole `_find`) is in mango.ts.
 *
 * What comes from where:
 *   - Selector normalization and matching: CouchDB mango_selector.erl (norm_ops, norm_fields,
 *     norm_negations, match) and mango_doc.erl (get_field). They are re-implemented here rather
 *     than delegated to pouchdb-selector-core's `matchesSelector`, because PouchDB differs from
 *     CouchDB exactly where Fabric users notice: a missing field matches `$ne`, `$not` and `$nor`
 *     in PouchDB but never in CouchDB (CouchDB pushes negations down to the field and fails any
 *     condition on a missing field except `{"$exists": false}`); `null` never matches `$in`/`$nin`
 *     in PouchDB; PouchDB rejects field-level `$and`/`$or` and `$keyMapMatch`/`$beginsWith`.
 *     Error names and reasons: mango_error.erl.
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
import { couchError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A normalized selector node: an object with exactly one key (or the empty selector). */
export type Sel = { [k: string]: unknown };

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
export function collateRaw(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b);
  return collate(a, b);
}

type Cmp = (a: unknown, b: unknown) => number;

// ---- helpers --------------------------------------------------------------------------------

export function isObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Erlang's ~w is close enough to JSON for the reasons we print. */
export function show(v: unknown): string {
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

export const NOT_FOUND = Symbol('not_found');
export const BAD_PATH = Symbol('bad_path');

export function getField(value: unknown, path: readonly string[]): unknown {
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
export function pathOf(field: string): string[] {
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
