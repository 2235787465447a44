import { ClassifiedProviderError, type ItemLinks } from '@crm-sync/core';
import { type HubSpotApis } from '../client';
import { type HubSpotObjectType } from '../descriptor';

/**
 * The associations each type's syncer keeps in step: contact→company, deal→contact, deal→company. Each pair of types
 * is read from one side only (associations are two-way, so the other side would list the same pairs again, with
 * the reverse type ids); companies own none.
 */
export const LINKED_TYPES: Readonly<Record<HubSpotObjectType, readonly HubSpotObjectType[]>> = {
  contacts: ['companies'],
  companies: [],
  deals: ['contacts', 'companies'],
};

/** What HubSpot answers, in its 207 body, for an object with no association of the type asked for. */
const NONE = 'crm.associations.NO_ASSOCIATIONS_FOUND';

interface BatchError {
  subCategory?: unknown;
  context?: { fromObjectId?: unknown };
}

/**
 * The current associations of `ids` (at most 1,000, the batch read's limit) to each linked type, through the v4
 * batch read (docs/providers/hubspot.md#associations). Every id gets a set, empty when HubSpot lists none, so an
 * association removed at HubSpot is removed here. An object with more associations than one page holds is read
 * on with its `after` until the last page.
 */
export async function readLinks(
  apis: HubSpotApis,
  objectType: HubSpotObjectType,
  ids: readonly string[],
): Promise<ItemLinks[]> {
  const sets: ItemLinks[] = [];
  if (ids.length === 0) return sets;
  for (const toType of LINKED_TYPES[objectType]) {
    const byId = new Map(ids.map((id) => [id, { fromId: id, toType, links: [] } as ItemLinks]));
    let inputs: { id: string; after?: string }[] = ids.map((id) => ({ id }));
    while (inputs.length > 0) {
      const response = await apis.associations.batchApi.getPage(objectType, toType, { inputs });
      const errors = ((response as { errors?: BatchError[] }).errors ?? []).filter(
        (e) => e.subCategory !== NONE,
      );
      if (errors.length > 0) {
        const kind = typeof errors[0]?.subCategory === 'string' ? errors[0].subCategory : 'unknown';
        throw new ClassifiedProviderError(
          { kind: 'transient', reason: `association batch read: ${kind.replace(/[^\w.]/g, '')}` },
          `hubspot ${objectType}→${toType} associations failed for ${errors.length} objects`,
        );
      }
      inputs = [];
      for (const result of response.results) {
        const set = byId.get(result._from.id);
        if (!set) continue;
        for (const to of result.to)
          set.links.push({
            toId: to.toObjectId,
            types: to.associationTypes.map((t) => ({
              category: t.category,
              typeId: t.typeId,
              label: t.label ?? null,
            })),
          });
        const after = result.paging?.next?.after;
        if (after) inputs.push({ id: result._from.id, after });
      }
    }
    sets.push(...byId.values());
  }
  return sets;
}
