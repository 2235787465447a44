import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The cookie that binds a connect flow to the browser that opened it (docs/connect-flow.md). One cookie per flow,
 * named by the flow id, so two flows in one browser do not clobber each other; its value is the browser key,
 * whose hash is stored with the state. Sent only to the callback's path.
 */
export const FLOW_COOKIE_PATH = '/v1/oauth';
const PREFIX = 'crm_sync_flow_';

// Secure: browsers treat http://localhost and 127.0.0.1 as secure contexts and accept it there too
// (docs/connect-flow.md, "Cookie"). Lax: the provider's redirect back is a top-level GET, which Lax allows.
const ATTRIBUTES = `Path=${FLOW_COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax`;

export function setFlowCookie(
  reply: FastifyReply,
  flowId: string,
  browserKey: string,
  maxAgeSeconds: number,
) {
  reply.header('set-cookie', `${PREFIX}${flowId}=${browserKey}; Max-Age=${maxAgeSeconds}; ${ATTRIBUTES}`);
}

export function clearFlowCookie(reply: FastifyReply, flowId: string) {
  reply.header('set-cookie', `${PREFIX}${flowId}=; Max-Age=0; ${ATTRIBUTES}`);
}

/** The browser key the request's cookie carries for `flowId`, if any. */
export function flowCookie(request: FastifyRequest, flowId: string): string | undefined {
  const name = `${PREFIX}${flowId}`;
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
