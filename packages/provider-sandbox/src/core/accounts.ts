import { hashString, mix } from './random';
import {
  type Account,
  type AccountSettings,
  type AccountSpec,
  type AccountStore,
  type Clock,
  type ProviderId,
} from './types';

export const DEFAULT_ACCOUNT_SETTINGS: Readonly<AccountSettings> = {
  accessTokenTtlSeconds: 3599,
  refreshRotation: 'same',
  changeLogLimit: 10_000,
};

/**
 * `defaults` (the sandbox's options) win over `providerDefaults` (what each provider module declares);
 * an account spec's own settings win over both. `saved`: accounts of a previous run (state.ts), kept as they were.
 */
export function createAccountStore(
  clock: Clock,
  defaults: Partial<AccountSettings> = {},
  providerDefaults: Partial<Record<ProviderId, Partial<AccountSettings>>> = {},
  saved: readonly Account[] = [],
): AccountStore {
  const byKey = new Map<string, Account>();
  const key = (provider: ProviderId, id: string) => `${provider}:${id}`;
  for (const account of saved) byKey.set(key(account.provider, account.id), account);

  return {
    create(spec: AccountSpec): Account {
      const seed = spec.seed ?? hashString(`${spec.provider}:${spec.email}`);
      const id = spec.id ?? defaultId(spec.provider, seed);
      if (byKey.has(key(spec.provider, id))) throw new Error(`account ${spec.provider}:${id} already exists`);
      const account: Account = {
        provider: spec.provider,
        id,
        email: spec.email,
        seed,
        sizes: { ...spec.sizes },
        settings: {
          ...DEFAULT_ACCOUNT_SETTINGS,
          ...providerDefaults[spec.provider],
          ...defaults,
          ...spec.settings,
        },
        createdAt: clock.now(),
      };
      byKey.set(key(spec.provider, id), account);
      return account;
    },
    get: (provider, id) => byKey.get(key(provider, id)),
    findByEmail(provider, email) {
      const wanted = email.toLowerCase();
      for (const account of byKey.values()) {
        if (account.provider === provider && account.email.toLowerCase() === wanted) return account;
      }
      return undefined;
    },
    list: (provider) => [...byKey.values()].filter((a) => provider === undefined || a.provider === provider),
  };
}

/** Provider-flavoured ids: Google's numeric subject, a GUID-like Microsoft id, a numeric HubSpot user. */
function defaultId(provider: ProviderId, seed: number): string {
  const a = mix(seed, 1).toString(16).padStart(8, '0');
  const b = mix(seed, 2).toString(16).padStart(8, '0');
  if (provider === 'microsoft')
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${a.slice(0, 4)}-${b}${a.slice(4)}`;
  const digits = `${mix(seed, 3)}${mix(seed, 4)}`.padEnd(21, '7');
  return provider === 'google' ? `1${digits.slice(0, 20)}` : String((mix(seed, 5) % 90_000_000) + 10_000_000);
}
