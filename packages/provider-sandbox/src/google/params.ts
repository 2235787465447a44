import { type FastifyRequest } from 'fastify';

type Query = Record<string, string | string[] | undefined>;

const query = (request: FastifyRequest) => (request.query ?? {}) as Query;

/** A single query parameter (the last one if repeated). */
export function one(request: FastifyRequest, key: string): string | undefined {
  const value = query(request)[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** A repeated query parameter (googleapis sends arrays as repeated keys). */
export function many(request: FastifyRequest, key: string): string[] {
  const value = query(request)[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function bool(request: FastifyRequest, key: string): boolean {
  return one(request, key) === 'true';
}

/** Integer parameter clamped to [1, max]; `fallback` when absent or malformed. */
export function limit(request: FastifyRequest, key: string, fallback: number, max: number): number {
  const parsed = Number.parseInt(one(request, key) ?? '', 10);
  return Number.isFinite(parsed) && parsed > 0 ? Math.min(parsed, max) : fallback;
}

export function pathParam(request: FastifyRequest, key: string): string {
  const value = (request.params as Record<string, string | undefined>)[key];
  if (value === undefined) throw new Error(`route has no :${key} parameter`);
  return value;
}
