// Structural comparison of a sandbox response with a recorded or documented provider response: field names and
// JSON types, recursively. Values never matter, only what a client could read from them.

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** The shape of a JSON value; an array's elements (and an object's fields across them) merged into one shape. */
export interface Shape {
  types: Set<JsonType>;
  fields?: Map<string, Shape>;
  items?: Shape;
}

export type DifferenceKind = 'missing' | 'extra' | 'type';

export interface Difference {
  kind: DifferenceKind;
  /** JSON path with `[]` for "any element", e.g. `value[].flag.flagStatus`. */
  path: string;
  detail: string;
}

/** One accepted difference and why the sandbox may differ there (the comparator's allow-list). */
export interface Allowance {
  kind: DifferenceKind;
  path: string;
  why: string;
}

const typeOf = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType);

function merge(into: Shape, next: Shape): Shape {
  for (const type of next.types) into.types.add(type);
  if (next.fields) {
    into.fields ??= new Map();
    for (const [name, shape] of next.fields) {
      const existing = into.fields.get(name);
      into.fields.set(name, existing ? merge(existing, shape) : shape);
    }
  }
  if (next.items) into.items = into.items ? merge(into.items, next.items) : next.items;
  return into;
}

export function shapeOf(value: unknown): Shape {
  const type = typeOf(value);
  const shape: Shape = { types: new Set([type]) };
  if (type === 'object') {
    shape.fields = new Map();
    for (const [name, field] of Object.entries(value as Record<string, unknown>))
      shape.fields.set(name, shapeOf(field));
  } else if (type === 'array') {
    for (const element of value as unknown[])
      shape.items = shape.items ? merge(shape.items, shapeOf(element)) : shapeOf(element);
  }
  return shape;
}

/**
 * `null` is not a type mismatch in either direction: Graph and HubSpot send null for unset properties of any type,
 * and the official typings declare those properties nullable.
 */
const concrete = (types: Set<JsonType>) => [...types].filter((t) => t !== 'null');

function compare(ours: Shape, real: Shape, path: string, out: Difference[]): void {
  const wrong = concrete(ours.types).filter((t) => !real.types.has(t) && concrete(real.types).length > 0);
  if (wrong.length > 0)
    out.push({ kind: 'type', path, detail: `sandbox ${wrong.join('|')}, real ${[...real.types].join('|')}` });
  if (ours.fields && real.fields) {
    for (const [name, shape] of real.fields) {
      const child = path === '' ? name : `${path}.${name}`;
      const mine = ours.fields.get(name);
      if (mine === undefined) out.push({ kind: 'missing', path: child, detail: 'real response has it' });
      else compare(mine, shape, child, out);
    }
    for (const name of ours.fields.keys())
      if (!real.fields.has(name))
        out.push({
          kind: 'extra',
          path: path === '' ? name : `${path}.${name}`,
          detail: 'not in the real response',
        });
  }
  // An empty array on either side says nothing about its elements.
  if (ours.items && real.items) compare(ours.items, real.items, `${path}[]`, out);
}

/** Every difference between a sandbox value and a real one. */
export function shapeDifferences(ours: unknown, real: unknown): Difference[] {
  const out: Difference[] = [];
  compare(shapeOf(ours), shapeOf(real), '', out);
  return out;
}

/** Several allowances of one kind sharing one reason. */
export const allow = (kind: DifferenceKind, why: string, ...paths: string[]): Allowance[] =>
  paths.map((path) => ({ kind, path, why }));
