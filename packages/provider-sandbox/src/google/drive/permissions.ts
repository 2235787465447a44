import { randomBytes } from 'node:crypto';
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { badRequest, insufficientScope } from '../errors';
import { pathParam } from '../params';
import { canWrite, fileNotFound, requiredParameter, visible } from './access';
import { driveFiles, type DrivePermission } from './generate';
import { renderPermission } from './render';

const ROLES = ['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'] as const;
const body = z.object({
  role: z.enum(ROLES).optional(),
  type: z.enum(['user', 'group', 'domain', 'anyone']).optional(),
  emailAddress: z.string().optional(),
});

/**
 * Drive v3 `permissions.create` (reference/rest/v3/permissions/create): `role` and `type` are required; `user` and
 * `group` need `emailAddress`. Under `drive.file` only on a file the app can see (404 notFound otherwise).
 */
export function registerDrivePermissions(app: FastifyInstance, ctx: SandboxContext): void {
  const route = {
    config: { sandbox: { provider: 'google' as const, routeId: 'drive.permissions.create', auth: true } },
  };
  app.post('/drive/v3/files/:fileId/permissions', route, async (request, reply) => {
    const auth = requireAuth(request);
    if (!canWrite(auth)) return send(reply, insufficientScope());
    const fileId = pathParam(request, 'fileId');
    const files = ctx.datasets.open(auth.account, driveFiles);
    const file = files.get(fileId);
    if (!file || !visible(auth, file)) return send(reply, fileNotFound(fileId));
    const parsed = body.safeParse(request.body ?? {});
    if (!parsed.success) return send(reply, badRequest('Invalid permission', 'permission'));
    const { role, type, emailAddress } = parsed.data;
    if (role === undefined) return send(reply, requiredParameter('permission.role'));
    if (type === undefined) return send(reply, requiredParameter('permission.type'));
    if ((type === 'user' || type === 'group') && !emailAddress)
      return send(reply, requiredParameter('permission.emailAddress'));
    const permission: DrivePermission = {
      id: randomBytes(10).toString('hex'),
      type,
      role,
      ...(emailAddress ? { emailAddress } : {}),
    };
    files.update(fileId, { permissions: [...file.data.permissions, permission] });
    return renderPermission(permission);
  });
}
