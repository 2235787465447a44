// What `npm start` prints once every app answers its health check: where each part is and how to get in.
import {
  type Config,
  DEV_DASHBOARD_ADMIN_PASSWORD,
  DEV_DASHBOARD_PASSWORD,
  DEV_SERVICE_TOKENS,
} from '@crm-sync/config';

const DEV_SERVICE_SECRET = DEV_SERVICE_TOKENS.split(':')[1] as string;

/** Health URLs of the apps that listen (a port of 0 means the app picked one itself, and none is known here). */
export function healthUrls(config: Config): string[] {
  const listeners = [
    config.connectApi,
    config.worker.http,
    config.scheduler.http,
    { host: config.dashboard.host, port: config.dashboard.port },
  ];
  return listeners.filter((l) => l.port !== 0).map((l) => `http://${l.host}:${l.port}/healthz`);
}

/**
 * Secrets are shown only when they are the development defaults everyone can read in the source; a configured
 * secret is named by its variable, never printed.
 */
export function banner(config: Config, stateFile: string): string {
  const { endpoints } = config.providers;
  const sandbox =
    endpoints.mode === 'sandbox' ? `${endpoints.httpUrl}/__sandbox` : 'not used (PROVIDER_MODE=live)';
  const api = `http://${config.connectApi.host}:${config.connectApi.port}`;
  const serviceSecret = config.connectApi.serviceTokens.some((t) => t.secret === DEV_SERVICE_SECRET)
    ? DEV_SERVICE_SECRET
    : '<a secret from SERVICE_TOKENS>';
  const dashboard = config.dashboard;
  const shown = (password: string, variable: string) =>
    [DEV_DASHBOARD_PASSWORD, DEV_DASHBOARD_ADMIN_PASSWORD].includes(password) ? password : `<${variable}>`;
  const admin = dashboard.admin
    ? `; actions at /admin/ for ${dashboard.admin.user} / ${shown(dashboard.admin.password, 'DASHBOARD_ADMIN_PASSWORD')}`
    : '';
  return [
    '',
    'crm-sync is up',
    `  connect-api   ${api}   (OpenAPI: ${api}/docs/json; service token: Bearer ${serviceSecret})`,
    `  dashboard     http://${dashboard.host}:${dashboard.port}/   (${dashboard.operator.user} / ${shown(dashboard.operator.password, 'DASHBOARD_PASSWORD')}${admin})`,
    `  sandbox       ${sandbox}   (demo accounts demo@example.com, demo@contoso.example, demo@hubspot.example)`,
    `  sandbox state ${stateFile}   (accounts and grants kept across restarts; delete it to start afresh)`,
    '  notifications to the CRM are printed by "notifications" below',
    `  connect one:  curl -s -X POST ${api}/v1/connect/google -H 'authorization: Bearer ${serviceSecret}' \\`,
    `                  -H 'content-type: application/json' -d '{"tenantId":"t1","crmUserId":"u1","resources":["mail"],` +
      `"redirectUrl":"${api}/done","loginHint":"demo@example.com"}'`,
    '                then open the returned authorizationUrl in a browser (README "Run it")',
    '  Ctrl-C stops everything',
    '',
  ].join('\n');
}
