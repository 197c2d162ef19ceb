/**
 * Checks a `--collections` file in JSON terms before the peer starts, so a mistake is a usage error
 * (exit 2) that points at the element and field, rather than Go's unmarshal text or an "invalid
 * policy" caused by a misspelt field. Fabric's CLI (and our ledger, which mirrors its texts) ignores
 * unknown fields; here a field that is not one of the collection config's is refused with the field
 * it probably meant, because a silently ignored `"polcy"` is the mistake people make.
 */
import { UsageError } from './args.js';

/** The fields of one element of a Fabric collections_config.json, and the JSON type of each. */
const FIELDS: Record<string, 'string' | 'integer' | 'boolean' | 'object'> = {
  name: 'string',
  policy: 'string',
  requiredPeerCount: 'integer',
  maxPeerCount: 'integer',
  blockToLive: 'integer',
  memberOnlyRead: 'boolean',
  memberOnlyWrite: 'boolean',
  endorsementPolicy: 'object',
};
const ENDORSEMENT_FIELDS = ['signaturePolicy', 'channelConfigPolicy'];

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a whole number' : 'a number';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The known field closest to `name` (case-insensitive edit distance ≤ 3), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[a.length]![b.length]!;
  };
  let best: { field: string; d: number } | undefined;
  for (const field of known) {
    const d = distance(name.toLowerCase(), field.toLowerCase());
    if (d <= 3 && (best === undefined || d < best.d)) best = { field, d };
  }
  return best?.field;
}

/**
 * Checks `parsed` (the JSON of `file`) as the collection config of `chaincode`.
 * @throws UsageError naming the option, the file, the element and the field.
 */
export async function checkCollectionsJson(chaincode: string, file: string, parsed: unknown): Promise<void> {
  const where = `--collections ${chaincode}: ${file}`;
  if (!Array.isArray(parsed)) throw new UsageError(`${where} must hold a JSON array of collection definitions`);
  parsed.forEach((item, i) => {
    const at = `${where}: collection ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UsageError(`${at} must be a JSON object, not ${jsonType(item)}`);
    const o = item as Record<string, unknown>;
    const label = typeof o['name'] === 'string' ? `${at} (${JSON.stringify(o['name'])})` : at;
    for (const [key, value] of Object.entries(o)) {
      // Go matches field names case-insensitively; so do we.
      const field = Object.keys(FIELDS).find((f) => f.toLowerCase() === key.toLowerCase());
      if (field === undefined) {
        const guess = closest(key, Object.keys(FIELDS));
        throw new UsageError(`${label}: unknown field ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`);
      }
      const want = FIELDS[field]!;
      const ok =
        want === 'integer' ? Number.isInteger(value) : want === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === want;
      if (!ok) throw new UsageError(`${label}: ${JSON.stringify(key)} must be ${want === 'integer' ? 'a whole number' : `a ${want}`}, not ${jsonType(value)}`);
      if (field === 'endorsementPolicy') {
        for (const k of Object.keys(value as object)) {
          if (!ENDORSEMENT_FIELDS.some((f) => f.toLowerCase() === k.toLowerCase())) {
            throw new UsageError(`${label}: unknown field "endorsementPolicy.${k}" (use ${ENDORSEMENT_FIELDS.map((f) => JSON.stringify(f)).join(' or ')})`);
          }
        }
      }
    }
    for (const required of ['name', 'policy']) {
      if (!Object.keys(o).some((k) => k.toLowerCase() === required.toLowerCase())) throw new UsageError(`${label}: ${JSON.stringify(required)} is required`);
    }
  });
  // What is left (policy syntax, name rules, counts, duplicates) is the ledger's check, in Fabric's
  // words. Loaded here, not at start-up: `ccproto invoke` and `query` never need the ledger.
  const { parseCollectionConfig } = await import('../ledger/collections.js');
  let defs: { name: string; endorsementPolicy?: { channelConfigPolicy?: string } | undefined }[];
  try {
    defs = parseCollectionConfig(parsed as never);
  } catch (err) {
    throw new UsageError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A channel policy the dev channel does not have would fail every write to the collection at
  // commit (Fabric accepts the definition and fails the writes); here it is a usage error.
  const { channelPolicyProblem } = await import('../peer/channelPolicies.js');
  defs.forEach((d, i) => {
    const ref = d.endorsementPolicy?.channelConfigPolicy;
    const problem = ref === undefined ? undefined : channelPolicyProblem(ref);
    if (problem) throw new UsageError(`${where}: collection ${i + 1} (${JSON.stringify(d.name)}): endorsementPolicy.channelConfigPolicy ${problem}`);
  });
}
