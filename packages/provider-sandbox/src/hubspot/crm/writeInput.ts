import { type Dataset, type StoredItem } from '../../core/types';
import { apiError } from '../errors';
import { type HubSpotData } from '../generate';
import { type PropertyDefinition } from '../properties/definitions';
import { type ObjectType, SINGULAR } from '../schema';
import { type HubSpotErrorWire } from '../types';
import { propertyReader } from './serialize';

// What the object writes (create, update) accept, as HubSpot checks a `properties` map
// (docs/providers/hubspot.md#object-writes).

export type Checked =
  { ok: true; properties: Record<string, string> } | { ok: false; status: 400 | 409; body: HubSpotErrorWire };

export type Refusal = Extract<Checked, { ok: false }>;

const refuse = (status: 400 | 409, body: HubSpotErrorWire): Refusal => ({ ok: false, status, body });

/**
 * HubSpot's refusal of property values: a 400 `VALIDATION_ERROR` whose message lists each refused property as
 * JSON (`error` PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, …, and `name`).
 */
function invalid(errors: Array<{ name: string; error: string; message: string }>): Refusal {
  const listed = errors.map((e) => ({
    isValid: false,
    message: e.message,
    error: e.error,
    name: e.name,
    localizedErrorMessage: e.message,
  }));
  return refuse(
    400,
    apiError(`Property values were not valid: ${JSON.stringify(listed)}`, 'VALIDATION_ERROR'),
  );
}

/**
 * `properties` must be an object of property names the portal defines, none computed by HubSpot; values are taken
 * as strings (numbers and booleans are stringified, as HubSpot stores every value as a string).
 */
export function checkProperties(input: unknown, definitions: PropertyDefinition[]): Checked {
  const properties = (input as { properties?: unknown } | null | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
    return refuse(400, apiError('Invalid input JSON: properties must be an object', 'VALIDATION_ERROR'));
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const errors: Array<{ name: string; error: string; message: string }> = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
    const definition = byName.get(name);
    if (!definition) {
      errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    } else if (definition.calculated) {
      errors.push({
        name,
        error: 'READ_ONLY_VALUE',
        message: `${name} is a read only property; its value cannot be set.`,
      });
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[name] = String(value);
    } else {
      errors.push({
        name,
        error: 'INVALID_STRING',
        message: `${JSON.stringify(value)} is not a valid value for ${name}`,
      });
    }
  }
  return errors.length > 0 ? invalid(errors) : { ok: true, properties: out };
}

/**
 * What a new object of the type must name: a contact one of email, first or last name; a company a name or a
 * domain; a deal its name and stage (docs/providers/hubspot.md#object-writes).
 */
const REQUIRED_ONE_OF: Record<ObjectType, string[][]> = {
  contacts: [['email', 'firstname', 'lastname']],
  companies: [['name', 'domain']],
  deals: [['dealname'], ['dealstage']],
};

export function checkRequired(type: ObjectType, properties: Record<string, string>): Refusal | undefined {
  const missing = REQUIRED_ONE_OF[type].find((names) => !names.some((n) => (properties[n] ?? '') !== ''));
  if (!missing) return undefined;
  return invalid(
    missing.map((name) => ({ name, error: 'REQUIRED_FIELD', message: `${name} is required` })).slice(0, 1),
  );
}

/**
 * A value another object already holds where HubSpot keeps values unique: a contact's email (409 "Contact already
 * exists. Existing ID: …") and any property defined with unique values (wording _unconfirmed_).
 */
export function uniqueClash(
  dataset: Dataset<HubSpotData>,
  type: ObjectType,
  definitions: PropertyDefinition[],
  properties: Record<string, string>,
  selfId: string | undefined,
): Refusal | undefined {
  const unique = new Set(definitions.filter((d) => d.hasUniqueValue && !d.calculated).map((d) => d.name));
  if (type === 'contacts') unique.add('email');
  for (const [name, value] of Object.entries(properties)) {
    if (!unique.has(name) || value === '') continue;
    const wanted = name === 'email' ? value.toLowerCase() : value;
    const holder = findBy(dataset, type, name, wanted, selfId);
    if (!holder) continue;
    const message =
      name === 'email' && type === 'contacts'
        ? `Contact already exists. Existing ID: ${holder.id}`
        : `A ${SINGULAR[type]} with ${name} ${JSON.stringify(value)} already exists. Existing ID: ${holder.id}`;
    return refuse(409, apiError(message, 'CONFLICT'));
  }
  return undefined;
}

/** The live object holding `value` in `name` (emails compared without case). */
export function findBy(
  dataset: Dataset<HubSpotData>,
  type: ObjectType,
  name: string,
  value: string,
  exceptId?: string,
): StoredItem<HubSpotData> | undefined {
  return dataset.page({
    limit: 1,
    order: 'asc',
    filter: (item) => {
      if (item.id === exceptId || item.data.archivedAt !== null) return false;
      const held = propertyReader(type, item)(name);
      return typeof held === 'string' && (name === 'email' ? held.toLowerCase() : held) === value;
    },
  }).items[0];
}
