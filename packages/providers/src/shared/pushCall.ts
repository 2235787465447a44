import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { type z } from 'zod';

/**
 * One provider call of a push channel (open, renew, stop; docs/push.md): a failure becomes the engine's error class
 * through the provider's classifier, and an answer the schema refuses is permanent (`malformed_response`).
 */
export async function pushCall<T>(
  work: () => Promise<unknown>,
  schema: z.ZodType<T>,
  what: string,
  classify: (error: unknown) => ProviderErrorClass,
): Promise<T> {
  let answer: unknown;
  try {
    answer = await work();
  } catch (error) {
    throw new ClassifiedProviderError(classify(error), `${what} failed`);
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    throw new ClassifiedProviderError(
      { kind: 'permanent', reason: 'malformed_response' },
      `${what}: unexpected answer`,
    );
  }
  return parsed.data;
}
