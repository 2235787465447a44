import { readFileSync } from 'node:fs';
import {
  PROVIDERS,
  WRITE_OPS,
  WRITE_RESOURCES,
  type Provider,
  type WriteOp,
  type WriteResource,
} from '@crm-sync/core';
import { z } from 'zod';
import { ConfigError } from './errors';
import type { ServiceToken } from './serviceTokens';

/**
 * What a CRM service may do with the token broker (docs/token-broker.md): which providers' connections it may use,
 * for which purposes, only connections whose granted scopes all lie within `scopes`, whether it may receive raw
 * access tokens or only call through the proxy, and which API paths the proxy forwards for it; and which writes it
 * may ask for (docs/write-back.md). The tenants it may act for are its SERVICE_TOKENS entry's, not repeated here.
 */
export interface ServicePolicy {
  providers: Provider[];
  purposes: string[];
  scopes: string[];
  rawTokens: boolean;
  /** Path prefixes per provider the proxy forwards to, matched whole segment by whole segment. */
  proxyPaths: Partial<Record<Provider, string[]>>;
  /** The write operations it may request, per resource; none that is not listed. */
  writes: Partial<Record<WriteResource, WriteOp[]>>;
}

/** A purpose as policies name it and services send it. */
export const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const purpose = z.string().regex(PURPOSE_PATTERN, 'a purpose is 1-64 of a-z 0-9 _ . -');
/**
 * A decoded absolute path of plain segments: no `.`/`..`, no empty segment, nothing that a URL parser or a provider
 * could read as something else (`%`, `?`, `#`, `\`, control characters).
 */
const pathPrefix = z
  .string()
  .regex(/^(\/[A-Za-z0-9_\-.~:@!$&'()*+,;=]+)+\/?$/, 'a path prefix is /segment/segment… of URL characters')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'a path prefix has no . or .. segment');

const policySchema = z
  .strictObject({
    providers: z.array(z.enum(PROVIDERS)).default([]),
    purposes: z.array(purpose).default([]),
    scopes: z.array(z.string().min(1).max(300)).default([]),
    rawTokens: z.boolean().default(false),
    proxyPaths: z.partialRecord(z.enum(PROVIDERS), z.array(pathPrefix).min(1)).default({}),
    writes: z.partialRecord(z.enum(WRITE_RESOURCES), z.array(z.enum(WRITE_OPS)).min(1)).default({}),
  })
  .superRefine((policy, ctx) => {
    // A policy grants the broker (providers, with the purposes and scopes they are used for), writes, or both.
    if (policy.providers.length === 0 && Object.keys(policy.writes).length === 0)
      ctx.addIssue({ code: 'custom', message: 'grants nothing: name providers or writes' });
    if (policy.providers.length === 0) return;
    for (const field of ['purposes', 'scopes'] as const)
      if (policy[field].length === 0)
        ctx.addIssue({ code: 'custom', path: [field], message: `a policy naming providers needs ${field}` });
  });

const policiesSchema = z.record(z.string(), policySchema);

/**
 * Parses SERVICE_POLICIES: the JSON object itself (starting with `{`) or the path of a file holding it. Every
 * policy must name a service of SERVICE_TOKENS; a service without a policy may not use the broker at all.
 */
export function parseServicePolicies(
  raw: string | undefined,
  services: ServiceToken[],
): Map<string, ServicePolicy> {
  if (raw === undefined || raw.trim() === '') return new Map();
  const text = raw.trimStart().startsWith('{') ? raw : readPolicyFile(raw);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('SERVICE_POLICIES', 'is not valid JSON');
  }
  const parsed = policiesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('SERVICE_POLICIES', `${issue.path.join('.') || '/'}: ${issue.message}`);
  }
  const policies = new Map<string, ServicePolicy>();
  for (const [name, policy] of Object.entries(parsed.data)) {
    if (!services.some((s) => s.name === name)) {
      throw new ConfigError('SERVICE_POLICIES', `"${name}" is not a service of SERVICE_TOKENS`);
    }
    const stray = Object.keys(policy.proxyPaths).find((p) => !policy.providers.includes(p as Provider));
    if (stray)
      throw new ConfigError(
        'SERVICE_POLICIES',
        `"${name}" has proxy paths for ${stray}, not in its providers`,
      );
    policies.set(name, policy);
  }
  return policies;
}

function readPolicyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('SERVICE_POLICIES', 'is neither a JSON object nor a readable file');
  }
}
