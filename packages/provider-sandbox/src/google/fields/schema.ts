import { type Selection } from './selection';

/**
 * The fields a Google response type has, from the API references (docs/providers/google.md#partial-responses):
 * `leaf` for a scalar or a value the sandbox does not describe further (any sub-selection is taken), a nested
 * schema for an object or for each element of an array.
 */
export type FieldSchema = { readonly [field: string]: FieldSchema | 'leaf' };

/** The first selected name the schema does not have (Google names it in its 400), or undefined. */
export function unknownField(selection: Selection, schema: FieldSchema): string | undefined {
  for (const [name, inner] of selection) {
    // A wildcard takes whatever the level has; what it selects inside is not checked.
    if (name === '*') continue;
    const child = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (child === undefined) return name;
    if (inner === true || child === 'leaf') continue;
    const found = unknownField(inner, child);
    if (found !== undefined) return found;
  }
  return undefined;
}
