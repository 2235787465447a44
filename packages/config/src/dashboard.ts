import { parseTrustProxy, type TrustProxy } from './connectApi';
import { ConfigError } from './errors';
import type { Env } from './schema';

export interface Credential {
  user: string;
  password: string;
}

export interface DashboardConfig {
  host: string;
  port: number;
  /** Sees every queue and job; changes nothing. */
  operator: Credential;
  /** May also retry, clean, promote, remove and add jobs. Without it the dashboard is read-only for everyone. */
  admin: Credential | undefined;
  loginFailuresPerMinute: number;
  trustProxy: TrustProxy;
}

/** Public on purpose (it is in this file): development only, refused when NODE_ENV=production. */
export const DEV_DASHBOARD_PASSWORD = 'dev-dashboard-password';
/** Public on purpose: the development admin, so `npm start` can try every action; production has no default. */
export const DEV_DASHBOARD_ADMIN_PASSWORD = 'dev-dashboard-admin-password';

export function dashboardConfig(env: Env): DashboardConfig {
  const password = env.DASHBOARD_PASSWORD ?? DEV_DASHBOARD_PASSWORD;
  if (password.length < 16) throw new ConfigError('DASHBOARD_PASSWORD', 'must be at least 16 characters');
  return {
    host: env.DASHBOARD_HOST,
    port: env.DASHBOARD_PORT,
    operator: { user: env.DASHBOARD_USER, password },
    admin: adminCredential(env, password),
    loginFailuresPerMinute: env.DASHBOARD_LOGIN_FAILURES_PER_MINUTE,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

/**
 * The admin is optional: a dashboard without one only reads, which is the safe state, so production does not
 * demand it. Production refuses only a half-configured admin (a user named without a password), which would
 * otherwise silently leave the operator unable to do what was intended.
 */
function adminCredential(env: Env, operatorPassword: string): Credential | undefined {
  const production = env.NODE_ENV === 'production';
  const password = env.DASHBOARD_ADMIN_PASSWORD ?? (production ? undefined : DEV_DASHBOARD_ADMIN_PASSWORD);
  if (password === undefined) {
    if (env.DASHBOARD_ADMIN_USER) {
      throw new ConfigError(
        'DASHBOARD_ADMIN_PASSWORD',
        'required in production when DASHBOARD_ADMIN_USER is set',
      );
    }
    return undefined;
  }
  if (password.length < 16)
    throw new ConfigError('DASHBOARD_ADMIN_PASSWORD', 'must be at least 16 characters');
  const user = env.DASHBOARD_ADMIN_USER ?? 'admin';
  if (user === env.DASHBOARD_USER)
    throw new ConfigError('DASHBOARD_ADMIN_USER', 'must differ from DASHBOARD_USER');
  if (password === operatorPassword) {
    throw new ConfigError('DASHBOARD_ADMIN_PASSWORD', 'must differ from DASHBOARD_PASSWORD');
  }
  return { user, password };
}
