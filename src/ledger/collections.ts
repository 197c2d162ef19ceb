/**
 * Private data collection definitions: parsing Fabric's collection config JSON (the file given to
 * `peer lifecycle chaincode approveformyorg --collections-config`), the implicit per-org
 * collections, and the read/write permission rule.
 *
 * Sources: internal/peer/chaincode/common.go getCollectionConfigFromBytes (JSON shape, defaults
 * requiredPeerCount 0 / maxPeerCount 1), core/chaincode/lifecycle/scc.go validateCollectionConfigs
 * (name, duplicates, peer counts), core/chaincode/implicitcollection/name.go (the
 * `_implicit_org_<MSPID>` names), core/chaincode/lifecycle/deployedcc_infoprovider.go
 * GenerateImplicitCollectionForOrg (implicit collections: policy "member of that org",
 * memberOnlyRead/Write false, blockToLive 0), core/common/privdata/store.go
 * RetrieveReadWritePermission (the permission rule).
 */
import { readFileSync } from 'node:fs';
import { LedgerError } from './errors.js';
import { isSatisfiedByMsp, parseSignaturePolicy, type SignaturePolicy } from './policy.js';

export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';

export interface CollectionEndorsementPolicy {
  signaturePolicy?: string;
  channelConfigPolicy?: string;
}

/** One element of the collection config JSON array, as a user writes it. */
export interface CollectionConfigJson {
  name: string;
  policy: string;
  requiredPeerCount?: number;
  maxPeerCount?: number;
  blockToLive?: number;
  memberOnlyRead?: boolean;
  memberOnlyWrite?: boolean;
  endorsementPolicy?: CollectionEndorsementPolicy;
}

/** A parsed static collection (peer.StaticCollectionConfig). */
export interface CollectionDefinition {
  name: string;
  policyText: string;
  policy: SignaturePolicy;
  requiredPeerCount: number;
  maximumPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: CollectionEndorsementPolicy | undefined;
  implicit: boolean;
}

/** What `WorldState.open({collections})` accepts per namespace. */
export type CollectionConfigInput = string | readonly CollectionConfigJson[] | readonly CollectionDefinition[];

const NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;

const bad = (msg: string): LedgerError => new LedgerError('INVALID_COLLECTION_CONFIG', msg);

/**
 * Go's encoding/json matches struct fields case-insensitively, so `"MemberOnlyRead"` works in
 * Fabric's CLI too; we do the same.
 */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function typed<T>(o: Record<string, unknown>, name: string, kind: 'string' | 'number' | 'boolean'): T | undefined {
  const v = field(o, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== kind) {
    throw bad(
      `could not parse the collection configuration: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field collectionConfigJson.${name} of type ${kind === 'number' ? 'int32' : kind === 'boolean' ? 'bool' : 'string'}`,
    );
  }
  if (kind === 'number' && !Number.isInteger(v)) {
    throw bad(`could not parse the collection configuration: json: cannot unmarshal number ${String(v)} into Go struct field collectionConfigJson.${name} of type int`);
  }
  return v as T;
}

function fromJsonItem(item: unknown): CollectionDefinition {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw bad('could not parse the collection configuration: each element must be a JSON object');
  }
  const o = item as Record<string, unknown>;
  const name = typed<string>(o, 'name', 'string') ?? '';
  const policyText = typed<string>(o, 'policy', 'string') ?? '';
  let policy: SignaturePolicy;
  try {
    policy = parseSignaturePolicy(policyText);
  } catch (e) {
    throw bad(`invalid policy ${policyText}: ${(e as Error).message}`);
  }
  const blockToLive = typed<number>(o, 'blockToLive', 'number') ?? 0;
  if (blockToLive < 0) throw bad(`could not parse the collection configuration: blockToLive must not be negative`);
  const ep = field(o, 'endorsementPolicy');
  let endorsementPolicy: CollectionEndorsementPolicy | undefined;
  if (ep !== undefined && ep !== null) {
    const e = ep as Record<string, unknown>;
    const sig = typed<string>(e, 'signaturePolicy', 'string') ?? '';
    const cfg = typed<string>(e, 'channelConfigPolicy', 'string') ?? '';
    if (sig !== '' && cfg !== '') {
      throw bad(`invalid endorsement policy: cannot specify both "--signature-policy" and "--channel-config-policy"`);
    }
    if (sig !== '') {
      try {
        parseSignaturePolicy(sig);
      } catch {
        throw bad(`invalid endorsement policy: invalid signature policy: ${sig}`);
      }
    }
    endorsementPolicy = {
      ...(sig !== '' ? { signaturePolicy: sig } : {}),
      ...(cfg !== '' ? { channelConfigPolicy: cfg } : {}),
    };
  }
  return {
    name,
    policyText,
    policy,
    requiredPeerCount: typed<number>(o, 'requiredPeerCount', 'number') ?? 0,
    maximumPeerCount: typed<number>(o, 'maxPeerCount', 'number') ?? 1,
    blockToLive,
    memberOnlyRead: typed<boolean>(o, 'memberOnlyRead', 'boolean') ?? false,
    memberOnlyWrite: typed<boolean>(o, 'memberOnlyWrite', 'boolean') ?? false,
    endorsementPolicy,
    implicit: false,
  };
}

/** Lifecycle's checks on approve/commit (core/chaincode/lifecycle/scc.go validateCollectionConfigs). */
function validate(defs: CollectionDefinition[]): void {
  const seen = new Set<string>();
  for (const c of defs) {
    if (!NAME.test(c.name)) {
      throw bad(`invalid collection name '${c.name}'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'`);
    }
    if (seen.has(c.name)) throw bad(`collection-name: ${c.name} -- found duplicate in collection configuration`);
    seen.add(c.name);
    if (c.maximumPeerCount < c.requiredPeerCount) {
      throw bad(
        `collection-name: ${c.name} -- maximum peer count (${c.maximumPeerCount}) cannot be less than the required peer count (${c.requiredPeerCount})`,
      );
    }
    if (c.requiredPeerCount < 0) {
      throw bad(`collection-name: ${c.name} -- requiredPeerCount (${c.requiredPeerCount}) cannot be less than zero`);
    }
  }
}

/** Parses collection config JSON text or an already-parsed array. */
export function parseCollectionConfig(input: CollectionConfigInput): CollectionDefinition[] {
  let items: readonly unknown[];
  if (typeof input === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (e) {
      throw bad(`could not parse the collection configuration: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) {
      throw bad('could not parse the collection configuration: json: cannot unmarshal object into Go value of type []chaincode.collectionConfigJson');
    }
    items = parsed;
  } else {
    items = input;
  }
  const defs = items.map((it) =>
    typeof it === 'object' && it !== null && 'implicit' in it && 'policyText' in it ? (it as CollectionDefinition) : fromJsonItem(it),
  );
  validate(defs.filter((d) => !d.implicit));
  return defs;
}

/** Reads and parses a collection config file. */
export function loadCollectionConfigFile(path: string): CollectionDefinition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw bad(`could not read file '${path}': ${(e as Error).message}`);
  }
  return parseCollectionConfig(text);
}

export function implicitCollectionName(mspId: string): string {
  return IMPLICIT_COLLECTION_PREFIX + mspId;
}

/** The MSP id of an implicit collection name, or undefined (implicitcollection.MspIDIfImplicitCollection). */
export function implicitCollectionMsp(name: string): string | undefined {
  return name.startsWith(IMPLICIT_COLLECTION_PREFIX) ? name.slice(IMPLICIT_COLLECTION_PREFIX.length) : undefined;
}

/** lifecycle GenerateImplicitCollectionForOrg: SignedByMspMember(mspid), no member-only flags, no BTL. */
export function implicitCollection(mspId: string): CollectionDefinition {
  return {
    name: implicitCollectionName(mspId),
    policyText: `OR('${mspId}.member')`,
    policy: { type: 'outOf', n: 1, rules: [{ type: 'signedBy', mspId, role: 'member' }] },
    requiredPeerCount: 0,
    maximumPeerCount: 0,
    blockToLive: 0,
    memberOnlyRead: false,
    memberOnlyWrite: false,
    endorsementPolicy: undefined,
    implicit: true,
  };
}

export interface Permission {
  read: boolean;
  write: boolean;
}

/**
 * core/common/privdata/store.go RetrieveReadWritePermission: everyone may read and write unless
 * a member-only flag is set; members may always read and write; non-members get the negation of
 * the flags.
 */
export function permissionFor(coll: CollectionDefinition, creatorMspId: string): Permission {
  if (!coll.memberOnlyRead && !coll.memberOnlyWrite) return { read: true, write: true };
  if (isSatisfiedByMsp(coll.policy, creatorMspId)) return { read: true, write: true };
  return { read: !coll.memberOnlyRead, write: !coll.memberOnlyWrite };
}

/** Membership only (the collection's member-orgs policy). */
export function isMember(coll: CollectionDefinition, mspId: string): boolean {
  return isSatisfiedByMsp(coll.policy, mspId);
}

/**
 * The collections known to the world state: explicit ones per (channel, namespace), with a
 * channel-independent default per namespace, plus implicit ones.
 */
export class CollectionRegistry {
  private readonly byNamespace = new Map<string, Map<string, CollectionDefinition>>();
  private readonly byChannelNamespace = new Map<string, Map<string, CollectionDefinition>>();

  /**
   * @param channelMspIds when given, only these MSPs have implicit collections at the ledger
   *   level (Fabric derives them from the channel's application orgs); otherwise every MSP id does.
   */
  constructor(private readonly channelMspIds: readonly string[] | undefined) {}

  define(namespace: string, input: CollectionConfigInput, channel?: string): void {
    const defs = parseCollectionConfig(input);
    const m = new Map(defs.map((d) => [d.name, d] as const));
    if (channel === undefined) this.byNamespace.set(namespace, m);
    else this.byChannelNamespace.set(`${channel}\u0000${namespace}`, m);
  }

  private explicit(channel: string, namespace: string): Map<string, CollectionDefinition> | undefined {
    return this.byChannelNamespace.get(`${channel}\u0000${namespace}`) ?? this.byNamespace.get(namespace);
  }

  /**
   * The handler-level lookup (lifecycle CollectionInfo): explicit collections, and an implicit
   * collection for any `_implicit_org_<X>` name.
   */
  lookup(channel: string, namespace: string, name: string): CollectionDefinition | undefined {
    const msp = implicitCollectionMsp(name);
    if (msp !== undefined) return implicitCollection(msp);
    return this.explicit(channel, namespace)?.get(name);
  }

  /**
   * The ledger-level lookup (txmgr collNameValidator over AllCollectionsConfigPkg): explicit
   * collections plus the implicit collections of the channel's orgs.
   */
  ledgerLookup(channel: string, namespace: string, name: string): CollectionDefinition | undefined {
    const msp = implicitCollectionMsp(name);
    if (msp !== undefined) {
      if (this.channelMspIds !== undefined && !this.channelMspIds.includes(msp)) return undefined;
      return implicitCollection(msp);
    }
    return this.explicit(channel, namespace)?.get(name);
  }

  list(channel: string, namespace: string): CollectionDefinition[] {
    return [...(this.explicit(channel, namespace)?.values() ?? [])];
  }
}
