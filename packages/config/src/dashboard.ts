import { ConfigError } from './errors';
import type { Env } from './schema';

export interface DashboardConfig {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Public on purpose (it is in this file): development only, refused when NODE_ENV=production. */
export const DEV_DASHBOARD_PASSWORD = 'dev-dashboard-password';

export function dashboardConfig(env: Env): DashboardConfig {
  const password = env.DASHBOARD_PASSWORD ?? DEV_DASHBOARD_PASSWORD;
  if (password.length < 16) throw new ConfigError('DASHBOARD_PASSWORD', 'must be at least 16 characters');
  return {
    host: env.DASHBOARD_HOST,
    port: env.DASHBOARD_PORT,
    user: env.DASHBOARD_USER,
    password,
  };
}
