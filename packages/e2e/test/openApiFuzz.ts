import fc from 'fast-check';

/** The parts of a served OpenAPI 3 document the fuzzer reads. */
export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

export interface Operation {
  method: string;
  path: string;
  parameters?: Array<{ in: 'path' | 'query'; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
}

export const operations = (doc: OpenApiDocument): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );

/** A value the schema accepts (best effort: enums, patterns, formats, bounds). */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(validValue));
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'email') return fc.constant('someone@example.com');
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: Math.max(1, schema.minLength ?? 1), maxLength: 20 });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.uniqueArray(validValue(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return fc.record(
        Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, validValue(s)])),
        { requiredKeys: schema.required ?? [] },
      );
    default:
      return fc.anything();
  }
}

/** Values no field of this API accepts where a string id, enum or bounded text is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\u001b[2J', 'x\ud800', '\r\nSet-Cookie: a=b', 'not-a-uuid'),
  fc.integer({ min: 201, max: 2_500 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map((s) => `${s}\u0007`),
  fc.constantFrom(null, true, 42, -1, 1e308, [], {}, ['mail', 'mail']),
);

/** Any value at all, for fields where a valid one is harmless (reads). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileValue,
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

export type Auth = 'valid' | 'none' | 'wrong' | 'malformed';
export type BodyEncoding = 'json' | 'text/plain' | 'form' | 'none' | 'invalid-json' | 'bad-utf8' | 'oversize';

/** One request a hostile or careless client might send. */
export interface FuzzRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  auth: Auth;
  encoding: BodyEncoding;
}

/**
 * Requests for an operation: start from a valid one and break it. Writes always get at least one break that no
 * valid request has (hostile value, missing field, extra field, bad auth or encoding), so none of them may change
 * anything; reads may also get harmless values.
 */
export function fuzzRequest(op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const isRead = op.method === 'GET';
  const field = (schema: JsonSchema) =>
    isRead ? fc.oneof(validValue(schema), anyValue) : validValue(schema);
  const record = (where: 'path' | 'query') =>
    fc.record(
      Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, field(p.schema)])),
      { requiredKeys: params.filter((p) => p.in === where && p.required).map((p) => p.name) },
    );
  const body = bodySchema ? validValue(bodySchema) : fc.constant(undefined);
  const base = fc.record({
    params: record('path'),
    query: record('query'),
    body,
    auth: fc.constant<Auth>('valid'),
    encoding: fc.constant<BodyEncoding>(bodySchema ? 'json' : 'none'),
  });
  const breaks = fc.array(breakOf(op, bodySchema !== undefined), { minLength: isRead ? 0 : 1, maxLength: 3 });
  return fc.tuple(base, breaks).map(([request, applied]) => applied.reduce((r, apply) => apply(r), request));
}

type Break = (r: FuzzRequest) => FuzzRequest;

function breakOf(op: Operation, hasBody: boolean): fc.Arbitrary<Break> {
  const names = (op.parameters ?? []).map((p) => [p.in, p.name] as const);
  const choices: Array<fc.Arbitrary<Break>> = [
    fc.constantFrom<Auth>('none', 'wrong', 'malformed').map((auth) => (r) => ({ ...r, auth })),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anyValue).map(
      ([key, value]) =>
        (r) =>
          hasBody && typeof r.body === 'object' && r.body !== null
            ? { ...r, body: { ...r.body, [`x-${key}`]: value } }
            : { ...r, query: { ...r.query, [`x-${key}`]: value } },
    ),
  ];
  if (names.length > 0) {
    choices.push(
      fc.tuple(fc.constantFrom(...names), hostileValue).map(
        ([[where, name], value]) =>
          (r) =>
            where === 'path'
              ? { ...r, params: { ...r.params, [name]: value } }
              : { ...r, query: { ...r.query, [name]: value } },
      ),
    );
  }
  if (hasBody) {
    choices.push(
      fc
        .constantFrom<BodyEncoding>('text/plain', 'form', 'none', 'invalid-json', 'bad-utf8', 'oversize')
        .map((encoding) => (r) => ({ ...r, encoding })),
      fc.tuple(fc.string({ maxLength: 20 }), hostileValue, fc.boolean()).map(([key, value, drop]) => (r) => {
        const fields = Object.keys((r.body ?? {}) as object);
        const target = fields[key.length % Math.max(1, fields.length)] ?? key;
        const copy: Record<string, unknown> = { ...(r.body as object) };
        if (drop) delete copy[target];
        else copy[target] = value;
        return { ...r, body: drop && fields.length === 0 ? [] : copy };
      }),
    );
  }
  return fc.oneof(...choices);
}

/** Renders a request: path with its parameters, query string, headers and body bytes. */
export function render(
  op: Operation,
  r: FuzzRequest,
  secret: string,
): { path: string; init: RequestInit & { body?: string | Buffer } } {
  const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  // A lone surrogate has no UTF-8 form: it goes out as the bytes of its CESU-8 form, which are not UTF-8 at all.
  const encode = (s: string) =>
    Array.from(s, (cp) => (/^[\ud800-\udfff]$/.test(cp) ? '%ED%A0%80' : encodeURIComponent(cp))).join('');
  // fetch would resolve '.' and '..' segments to another path; they stay a parameter value this way.
  const segment = (v: unknown) => encode(text(v)).replace(/^\.{1,2}$/, (dots) => `${dots}x`) || 'x';
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => segment(r.params[name] ?? 'x'));
  const query = new URLSearchParams(
    Object.entries(r.query).map(([k, v]): [string, string] => [k, text(v)]),
  ).toString();
  const headers: Record<string, string> = {};
  if (r.auth === 'valid') headers.authorization = `Bearer ${secret}`;
  if (r.auth === 'wrong') headers.authorization = 'Bearer not-the-secret-0123456789abcdefgh';
  if (r.auth === 'malformed') headers.authorization = `Basic ${secret}`;
  const json = JSON.stringify(r.body ?? {});
  const bodies: Record<BodyEncoding, [string | undefined, string | Buffer | undefined]> = {
    json: ['application/json', json],
    'text/plain': ['text/plain', json],
    form: ['application/x-www-form-urlencoded', 'a=b'],
    none: [undefined, undefined],
    'invalid-json': ['application/json', json.slice(0, -1)],
    'bad-utf8': [
      'application/json',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    ],
    oversize: ['application/json', JSON.stringify({ pad: 'x'.repeat(70_000) })],
  };
  const [contentType, body] =
    op.method === 'GET' || op.method === 'DELETE' ? [undefined, undefined] : bodies[r.encoding];
  if (contentType) headers['content-type'] = contentType;
  return {
    path: `${path}${query ? `?${query}` : ''}`,
    init: { method: op.method, headers, ...(body !== undefined && { body }), redirect: 'manual' },
  };
}
