import { type Account, type Dataset } from '../../core/types';
import { type HubSpotData } from '../generate';
import { OBJECT_TYPES, type ObjectType } from '../schema';

// Associations between the generated contacts, companies and deals (docs/providers/hubspot.md#associations).
// Base associations are a pure function of the account's sizes, as the objects are; only what the control API
// adds or removes is stored. An association is one record with a type list per direction: HubSpot's type ids
// are directional (contact→company 279, company→contact 280), so the types are kept in the "owner" direction
// below and turned round when read from the other end.

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

export interface AssociationType {
  category: AssociationCategory;
  typeId: number;
  label: string | null;
}

/** An associated object as the v4 read endpoints list it. */
export interface Associated {
  toObjectId: string;
  associationTypes: AssociationType[];
}

/** The direction each pair's types are kept in: contact→company, deal→contact, deal→company. */
const OWNER_PAIRS: readonly (readonly [ObjectType, ObjectType])[] = [
  ['contacts', 'companies'],
  ['deals', 'contacts'],
  ['deals', 'companies'],
];

const unlabeled = (typeId: number): AssociationType => ({ category: 'HUBSPOT_DEFINED', typeId, label: null });
const primary = (typeId: number, label: string): AssociationType => ({
  category: 'HUBSPOT_DEFINED',
  typeId,
  label,
});

/** HubSpot's default type ids by direction; the unlabeled one is always listed (docs/providers/hubspot.md#association-types). */
export const DEFAULT_TYPES: Readonly<Record<string, { unlabeled: number; primary?: [number, string] }>> = {
  'contacts>companies': { unlabeled: 279, primary: [1, 'Primary'] },
  'companies>contacts': { unlabeled: 280, primary: [2, 'Primary'] },
  'deals>contacts': { unlabeled: 3 },
  'contacts>deals': { unlabeled: 4 },
  'deals>companies': { unlabeled: 341, primary: [5, 'Primary'] },
  'companies>deals': { unlabeled: 342, primary: [6, 'Primary'] },
};

/** The same association read from the other end: HubSpot-defined ids map to their reverse, others stay. */
function reversed(types: readonly AssociationType[], from: ObjectType, to: ObjectType): AssociationType[] {
  const forward = DEFAULT_TYPES[`${from}>${to}`];
  const backward = DEFAULT_TYPES[`${to}>${from}`];
  return types.map((type) => {
    if (type.category !== 'HUBSPOT_DEFINED' || !forward || !backward) return type;
    if (type.typeId === forward.unlabeled) return unlabeled(backward.unlabeled);
    if (forward.primary && backward.primary && type.typeId === forward.primary[0])
      return primary(...backward.primary);
    return type;
  });
}

/** The default types a new association gets in the owner direction: unlabeled, plus primary for base ones. */
export function defaultTypes(from: ObjectType, to: ObjectType, withPrimary: boolean): AssociationType[] {
  const spec = DEFAULT_TYPES[`${from}>${to}`];
  if (!spec) throw new Error(`no default association type from ${from} to ${to}`);
  return [...(withPrimary && spec.primary ? [primary(...spec.primary)] : []), unlabeled(spec.unlabeled)];
}

export function ownerDirection(a: ObjectType, b: ObjectType): [ObjectType, ObjectType] | undefined {
  for (const [from, to] of OWNER_PAIRS) {
    if (from === a && to === b) return [from, to];
    if (from === b && to === a) return [from, to];
  }
  return undefined;
}

const ordinalOf = (type: ObjectType, id: string) => Number(id) - OBJECT_TYPES[type].idBase - 1;
const idOf = (type: ObjectType, ordinal: number) => String(OBJECT_TYPES[type].idBase + ordinal + 1);

/**
 * Base partners of one owner-side object: each contact works at one company (its primary); each deal has one
 * company (primary) and two contacts. Realistic shapes for a CRM, and invertible without a scan.
 */
function basePartners(account: Account, from: ObjectType, to: ObjectType, ordinal: number): number[] {
  const size = (type: ObjectType) => account.sizes[type] ?? 0;
  if (ordinal < 0 || ordinal >= size(from) || size(to) === 0) return [];
  const n = size(to);
  if (from === 'deals' && to === 'contacts')
    return n === 1 ? [ordinal % n] : [ordinal % n, (ordinal + 1) % n];
  return [ordinal % n];
}

/** The owner-side objects whose base partners include `ordinal` of `to`: the inverse of basePartners. */
function baseOwners(account: Account, from: ObjectType, to: ObjectType, ordinal: number): number[] {
  const owners = account.sizes[from] ?? 0;
  const n = account.sizes[to] ?? 0;
  if (ordinal < 0 || ordinal >= n) return [];
  const starts =
    from === 'deals' && to === 'contacts' && n > 1 ? [ordinal, (ordinal - 1 + n) % n] : [ordinal];
  const found = new Set<number>();
  for (const start of starts) for (let o = start; o < owners; o += n) found.add(o);
  return [...found].sort((a, b) => a - b);
}

/** Added (types) or removed (null) associations of one account, keyed `from:id>to:id` in the owner direction. */
type Overlay = Map<string, AssociationType[] | null>;

export interface AssociationStore {
  /** Every live object `type`/`id` is associated with among `toType`, by ascending id; undefined: no such object. */
  list(account: Account, type: ObjectType, id: string, toType: ObjectType): Associated[] | undefined;
  /** Adds (or relabels) an association, `types` in the a→b direction; false when either object is not live. */
  associate(account: Account, a: Endpoint, b: Endpoint, types: AssociationType[] | undefined): boolean;
  /** Removes an association; false when there was none. */
  dissociate(account: Account, a: Endpoint, b: Endpoint): boolean;
}

export interface Endpoint {
  type: ObjectType;
  id: string;
}

export function createAssociationStore(
  open: (account: Account, type: ObjectType) => Dataset<HubSpotData>,
  /** Told of each association added, relabelled or removed (the webhooks' `associationChange`). */
  changed: (account: Account, a: Endpoint, b: Endpoint) => void = () => undefined,
): AssociationStore {
  const overlays = new Map<string, Overlay>();
  // Per account and endpoint (`type:id>toType`), the pair keys the overlay holds, so reads need no scan.
  const touched = new Map<string, Map<string, Set<string>>>();
  const accountKey = (account: Account) => account.id;
  const overlayOf = (account: Account): Overlay => {
    let overlay = overlays.get(accountKey(account));
    if (!overlay) overlays.set(accountKey(account), (overlay = new Map()));
    return overlay;
  };
  const touchedOf = (account: Account) => {
    let index = touched.get(accountKey(account));
    if (!index) touched.set(accountKey(account), (index = new Map()));
    return index;
  };
  const live = (account: Account, type: ObjectType, id: string) => {
    const item = open(account, type).get(id);
    return item !== undefined && item.data.archivedAt === null;
  };
  const pairKey = (owner: Endpoint, other: Endpoint) => `${owner.type}:${owner.id}>${other.type}:${other.id}`;
  const orient = (a: Endpoint, b: Endpoint): [Endpoint, Endpoint] | undefined => {
    const direction = ownerDirection(a.type, b.type);
    if (!direction) return undefined;
    return direction[0] === a.type ? [a, b] : [b, a];
  };
  const isBase = (account: Account, owner: Endpoint, other: Endpoint) =>
    basePartners(account, owner.type, other.type, ordinalOf(owner.type, owner.id)).includes(
      ordinalOf(other.type, other.id),
    );
  const remember = (account: Account, owner: Endpoint, other: Endpoint, types: AssociationType[] | null) => {
    const key = pairKey(owner, other);
    overlayOf(account).set(key, types);
    const index = touchedOf(account);
    for (const [end, far] of [
      [owner, other],
      [other, owner],
    ] as const) {
      const endKey = `${end.type}:${end.id}>${far.type}`;
      let keys = index.get(endKey);
      if (!keys) index.set(endKey, (keys = new Set()));
      keys.add(key);
    }
  };

  return {
    list(account, type, id, toType) {
      if (!live(account, type, id)) return undefined;
      const direction = ownerDirection(type, toType);
      if (!direction) return [];
      const fromOwner = direction[0] === type;
      const ordinal = ordinalOf(type, id);
      const base = fromOwner
        ? basePartners(account, type, toType, ordinal)
        : baseOwners(account, toType, type, ordinal);
      const found = new Map<string, AssociationType[]>();
      for (const other of base) {
        found.set(idOf(toType, other), defaultTypes(direction[0], direction[1], true));
      }
      const overlay = overlayOf(account);
      for (const key of touchedOf(account).get(`${type}:${id}>${toType}`) ?? []) {
        const otherId = (fromOwner ? key.split('>')[1] : key.split('>')[0])!.split(':')[1]!;
        const types = overlay.get(key);
        if (types === null || types === undefined) found.delete(otherId);
        else found.set(otherId, types);
      }
      const result: Associated[] = [];
      for (const [otherId, types] of found) {
        if (!live(account, toType, otherId)) continue;
        const associationTypes = fromOwner ? types : reversed(types, direction[0], direction[1]);
        result.push({ toObjectId: otherId, associationTypes });
      }
      return result.sort((x, y) => Number(x.toObjectId) - Number(y.toObjectId));
    },
    associate(account, a, b, types) {
      const oriented = orient(a, b);
      if (!oriented || !live(account, a.type, a.id) || !live(account, b.type, b.id)) return false;
      const [owner, other] = oriented;
      // Types come in the a→b direction; they are kept in the owner's.
      const owned = types && owner !== a ? reversed(types, a.type, b.type) : types;
      remember(account, owner, other, owned ?? defaultTypes(owner.type, other.type, false));
      changed(account, a, b);
      return true;
    },
    dissociate(account, a, b) {
      const oriented = orient(a, b);
      if (!oriented) return false;
      const [owner, other] = oriented;
      const stored = overlayOf(account).get(pairKey(owner, other));
      const present = stored === undefined ? isBase(account, owner, other) : stored !== null;
      if (present) {
        remember(account, owner, other, null);
        changed(account, a, b);
      }
      return present;
    },
  };
}
