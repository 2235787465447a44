import {
  NoticeRefusedError,
  type NoticeTarget,
  type VerifiedDelivery,
  type VerifiedNotice,
} from '@crm-sync/core';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { jwtRefusal } from './jwtRefusal';
import { RISC_EVENT_ACTIONS, riscKind } from './riscEvents';
import { refreshTokenIdentifier, TOKEN_SUBJECT_TYPE } from './riscTokenSubject';

/** Google's RISC configuration document: names the issuer and the JWKS the tokens are signed with. */
export const GOOGLE_RISC_CONFIGURATION_URL = 'https://accounts.google.com/.well-known/risc-configuration';

/**
 * How old a token may be. Google says not to reject a SET on `exp` (they carry none) and to deduplicate on `jti`
 * (https://developers.google.com/identity/protocols/risc, "Validate the token"); a `jti` is remembered this long and
 * anything issued earlier is refused as stale, so no replay outlives the cache.
 */
export const RISC_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** How long the configuration document is trusted before it is read again. */
const CONFIGURATION_TTL_MS = 60 * 60 * 1000;

const configurationSchema = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

// RFC 8417 events claim; Google's subject is `iss-sub` (its account id, our provider account id), sometimes an
// e-mail address, or `oauth_token` naming one refresh token (https://developers.google.com/identity/protocols/risc,
// "Handle security events", "OAuth token identifiers"; riscTokenSubject.ts).
const subjectSchema = z.looseObject({ subject_type: z.string().max(64) });
const issSubSchema = z.object({
  subject_type: z.literal('iss-sub'),
  iss: z.string(),
  sub: z.string().min(1).max(255),
});
const eventsSchema = z
  .record(z.string().max(200), z.object({ subject: subjectSchema.optional() }))
  .refine((events) => Object.keys(events).length === 1, 'a Google SET carries exactly one event');

export interface RiscVerifierOptions {
  /** GOOGLE_RISC_CONFIGURATION_URL, or the sandbox's. */
  configurationUrl: string;
  /** Our OAuth client ids: a token for any other audience is refused. */
  audiences: readonly string[];
  fetch?: typeof fetch;
  now?: () => Date;
}

export type RiscVerifier = (token: string) => Promise<VerifiedDelivery>;

/** Verifies Google security event tokens (RS256 JWTs) and says what each one asks for. */
export function createRiscVerifier(options: RiscVerifierOptions): RiscVerifier {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let configuration: { loaded: number; value: Promise<Discovered> } | undefined;

  const discovered = (): Promise<Discovered> => {
    if (!configuration || now().getTime() - configuration.loaded > CONFIGURATION_TTL_MS) {
      const value = discover(options.configurationUrl, doFetch);
      configuration = { loaded: now().getTime(), value };
      // A failed read is not cached: the next delivery (Google retries) reads again.
      value.catch(() => (configuration = undefined));
    }
    return configuration.value;
  };

  return async (token) => {
    const { issuer, jwks } = await discovered();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: [...options.audiences],
        algorithms: ['RS256'],
        requiredClaims: ['jti', 'iat', 'events'],
        maxTokenAge: Math.floor(RISC_MAX_AGE_MS / 1000),
        currentDate: now(),
        // Clocks differ by seconds; a token a little ahead of ours is not forged.
        clockTolerance: 60,
      }));
    } catch (error) {
      throw jwtRefusal(error, 'our client ids');
    }
    const events = eventsSchema.safeParse(payload.events);
    if (!events.success || typeof payload.jti !== 'string' || payload.jti.length > 256) {
      throw new NoticeRefusedError('malformed', 'the token does not carry one RISC event and a jti');
    }
    const [eventType, event] = Object.entries(events.data)[0]!;
    const notice: VerifiedNotice = {
      kind: riscKind(eventType),
      action: RISC_EVENT_ACTIONS[eventType] ?? 'record',
      target: targetOf(event.subject),
    };
    return { provider: 'google', replayKey: payload.jti, replayTtlMs: RISC_MAX_AGE_MS, notices: [notice] };
  };
}

/** The account (`iss-sub`) or the refresh token (`oauth_token`) an event is about; anything else names nobody. */
function targetOf(subject: z.infer<typeof subjectSchema> | undefined): NoticeTarget {
  if (subject === undefined) return { kind: 'none' };
  const account = issSubSchema.safeParse(subject);
  if (account.success) return { kind: 'account', providerAccountId: account.data.sub };
  if (subject.subject_type === TOKEN_SUBJECT_TYPE) {
    return { kind: 'refreshToken', identifier: refreshTokenIdentifier(subject) };
  }
  return { kind: 'none' };
}

interface Discovered {
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

async function discover(url: string, doFetch: typeof fetch): Promise<Discovered> {
  const response = await doFetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`RISC configuration document answered ${response.status}`);
  const doc = configurationSchema.parse(await response.json());
  return {
    issuer: doc.issuer,
    // jose refetches the key set when a token names a key id it does not have (Google rotates its keys).
    jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { [customFetch]: doFetch }),
  };
}
