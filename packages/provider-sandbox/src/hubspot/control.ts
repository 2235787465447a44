import { z } from 'zod';
import { type ProviderControlOp, SandboxNotFoundError } from '../core/types';
import { type AssociationStore, ownerDirection } from './associations/model';
import { GROUP, PROPERTY_TYPES, type PropertyStore } from './properties/definitions';
import { objectTypeAlias, type ObjectType } from './schema';

// HubSpot's own control operations (`POST /__sandbox/accounts/hubspot/:accountId/ops/:op`). Associating and
// dissociating leave both objects' last-modified dates alone, as HubSpot does (docs/providers/hubspot.md#associations).

const objectType = z.string().transform((name, ctx): ObjectType => {
  const type = objectTypeAlias(name);
  if (type === undefined) {
    ctx.addIssue({ code: 'custom', message: `unknown object type ${name}` });
    return z.NEVER;
  }
  return type;
});
const endpoint = z.strictObject({ type: objectType, id: z.string().regex(/^\d+$/) });
const associationType = z.strictObject({
  category: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
  typeId: z.number().int().min(1),
  label: z.string().min(1).nullable(),
});
const pair = z
  .strictObject({ from: endpoint, to: endpoint, types: z.array(associationType).min(1).optional() })
  .refine((p) => ownerDirection(p.from.type, p.to.type) !== undefined, 'these object types do not associate');
const propertyName = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'lower-case letters, digits and _');
const definition = z
  .strictObject({
    objectType,
    name: propertyName,
    label: z.string().min(1),
    type: z.enum(Object.keys(PROPERTY_TYPES) as [keyof typeof PROPERTY_TYPES]),
    fieldType: z.string(),
    groupName: z.string().min(1).optional(),
    description: z.string().optional(),
    hidden: z.boolean().optional(),
  })
  .refine(
    (d) => (PROPERTY_TYPES[d.type] as readonly string[]).includes(d.fieldType),
    'fieldType does not fit type',
  );

export function hubspotControlOps(
  associations: AssociationStore,
  properties: PropertyStore,
): Record<string, ProviderControlOp> {
  return {
    /** `{from:{type,id}, to:{type,id}, types?}`: types in the from→to direction; default unlabeled. */
    associate(_ctx, account, body) {
      const p = pair.parse(body);
      const types = p.types?.map((t) => ({ ...t }));
      if (!associations.associate(account, p.from, p.to, types))
        throw new SandboxNotFoundError('both objects must exist and not be archived');
      return { associated: true };
    },
    dissociate(_ctx, account, body) {
      const p = pair.parse(body);
      if (!associations.dissociate(account, p.from, p.to))
        throw new SandboxNotFoundError('no such association');
      return { dissociated: true };
    },
    /** A custom property; values are then set with the item update (`fields: { name: value }`). */
    defineProperty(ctx, account, body) {
      const d = definition.parse(body);
      properties.define(account, d.objectType, {
        name: d.name,
        label: d.label,
        type: d.type,
        fieldType: d.fieldType,
        groupName: d.groupName ?? GROUP[d.objectType],
        description: d.description ?? '',
        hidden: d.hidden ?? false,
        calculated: false,
        hasUniqueValue: false,
        createdAt: ctx.clock.now(),
      });
      return { defined: d.name };
    },
  };
}
