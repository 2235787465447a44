import { type FastifyInstance } from 'fastify';
import { type SandboxContext } from '../../core/types';
import { registerDriveChanges } from './changes';
import { registerDriveFiles } from './files';
import { registerDrivePermissions } from './permissions';
import { registerDriveUpload } from './upload';

/** Drive v3 under `drive.file` rules: files.get (+ media), changes, resumable upload, permissions.create. */
export function registerDrive(app: FastifyInstance, ctx: SandboxContext): void {
  registerDriveFiles(app, ctx);
  registerDriveChanges(app, ctx);
  registerDriveUpload(app, ctx);
  registerDrivePermissions(app, ctx);
}
