// Google's `fields` system parameter (partial response): a comma list of field paths, `a/b` selecting `b`
// inside `a`, `a(b,c)` selecting several fields inside `a`, and `*` for every field at a level
// (docs/providers/google.md#partial-responses).

/** Field name → what is selected inside it (`true`: the whole value). */
export type Selection = Map<string, Selection | true>;

export class FieldsSyntaxError extends Error {
  override name = 'FieldsSyntaxError';
}

/** Parses a `fields` value; throws FieldsSyntaxError on a malformed one (empty names, unbalanced parentheses). */
export function parseFields(expression: string): Selection {
  let at = 0;
  const peek = () => expression[at];

  function name(): string {
    const start = at;
    while (at < expression.length && !',/()'.includes(expression[at] as string)) at += 1;
    const found = expression.slice(start, at).trim();
    if (found === '') throw new FieldsSyntaxError(`empty field name at ${start}`);
    return found;
  }

  // item := name ('/' name)* ['(' list ')']
  function item(into: Selection): void {
    const path = [name()];
    while (peek() === '/') {
      at += 1;
      path.push(name());
    }
    let inner: Selection | true = true;
    if (peek() === '(') {
      at += 1;
      inner = list();
      if (peek() !== ')') throw new FieldsSyntaxError(`missing ) at ${at}`);
      at += 1;
    }
    merge(into, path, inner);
  }

  function list(): Selection {
    const selection: Selection = new Map();
    item(selection);
    while (peek() === ',') {
      at += 1;
      item(selection);
    }
    return selection;
  }

  const selection = list();
  if (at !== expression.length) throw new FieldsSyntaxError(`unexpected ${peek()} at ${at}`);
  return selection;
}

function merge(into: Selection, path: string[], inner: Selection | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  const value: Selection | true = rest.length === 0 ? inner : nested(rest, inner);
  const existing = into.get(head);
  if (existing === true || value === true) into.set(head, true);
  else if (existing === undefined) into.set(head, value);
  else for (const [key, sub] of value) merge(existing, [key], sub);
}

const nested = (path: string[], inner: Selection | true): Selection => {
  const selection: Selection = new Map();
  merge(selection, path, inner);
  return selection;
};

/** Keeps only the selected fields; arrays apply the selection to each element. */
export function applySelection(value: unknown, selection: Selection | true): unknown {
  if (selection === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((element) => applySelection(element, selection));
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const every = selection.get('*');
  for (const [key, child] of Object.entries(source)) {
    const picked = selection.get(key) ?? every;
    if (picked !== undefined) result[key] = applySelection(child, picked);
  }
  return result;
}
