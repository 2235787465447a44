import type { z } from 'zod';
import { InvalidPayloadError } from './errors';

/**
 * Validates untrusted input. The error lists paths and problems but not the offending values, which may hold
 * secrets a caller pasted in the wrong field.
 */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new InvalidPayloadError(source, issues);
}
