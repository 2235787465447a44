import { type ProviderModule } from '../core/types';
import { deferredClock } from './deferredClock';
import { mailFolderGenerator } from './graph/folders';
import { graphGenerators } from './graph/generate';
import { graphErrorRenderer } from './graph/reply';
import { registerBatch } from './graph/routes/batch';
import { registerContactsDelta } from './graph/routes/contactsDelta';
import { registerEventsDelta } from './graph/routes/eventsDelta';
import { registerMailFolders } from './graph/routes/mailFolders';
import { registerMe } from './graph/routes/me';
import { registerAttachmentValue, registerMessageAttachments } from './graph/routes/attachments';
import { registerMessageGet } from './graph/routes/message';
import { registerMessagesDelta } from './graph/routes/messagesDelta';
import { registerTodo } from './graph/routes/todo';
import { registerItemWrites } from './graph/routes/itemWrites';
import { writableCollections } from './graph/routes/writableCollections';
import { todoLists, todoTasks } from './graph/todoItems';
import { registerAuthorize } from './identity/authorize';
import { createRefreshActivity } from './identity/refreshActivity';
import { createRefreshAliases } from './identity/refreshAliases';
import { registerToken } from './identity/token';
import { lifecycleEmitOp } from './lifecycle/emit';
import { graphPushOps, startChangeNotifications } from './push/notify';
import { registerSubscriptions } from './push/routes';
import { GraphSubscriptionStore } from './push/store';

/**
 * Microsoft identity platform v2.0 and Graph v1.0 (me, mail folders and their delta, messages, mail/calendar/contacts delta,
 * To Do lists and task delta), served
 * over https so the Graph JS client sends its bearer token
 * (docs/providers/clients.md#graph-client-https-and-customhosts).
 * Build one module per sandbox: the module binds that sandbox's clock.
 */
export interface MicrosoftModuleOptions {
  /**
   * Most messages a message-delta round with `$filter` serves; Graph documents 5,000
   * (docs/providers/microsoft.md#delta-endpoints). Tests lower it to reach the cap cheaply.
   */
  messageDeltaFilterCap?: number;
}

export const GRAPH_MESSAGE_DELTA_FILTER_CAP = 5000;

export function createMicrosoftModule(options: MicrosoftModuleOptions = {}): ProviderModule {
  const clock = deferredClock();
  const generators = graphGenerators();
  const subscriptions = new GraphSubscriptionStore();
  return {
    id: 'microsoft',
    listener: 'https',
    errors: graphErrorRenderer(clock),
    generators: [
      generators.messages,
      generators.events,
      generators.contacts,
      mailFolderGenerator,
      todoLists,
      todoTasks,
    ],
    register(app, ctx) {
      clock.bind(ctx.clock);
      registerAuthorize(app, ctx);
      registerToken(app, ctx, createRefreshActivity(ctx.clock), createRefreshAliases());
      registerMe(app, ctx);
      registerMessagesDelta(
        app,
        ctx,
        generators.messages,
        options.messageDeltaFilterCap ?? GRAPH_MESSAGE_DELTA_FILTER_CAP,
      );
      registerMailFolders(app, ctx);
      registerMessageGet(app, ctx, generators.messages);
      registerMessageAttachments(app, ctx, generators.messages);
      registerAttachmentValue(app, ctx, generators.messages);
      registerEventsDelta(app, ctx, generators.events);
      registerContactsDelta(app, ctx, generators.contacts);
      const writable = writableCollections(generators);
      registerItemWrites(app, ctx, writable.contacts);
      registerItemWrites(app, ctx, writable.events);
      registerTodo(app, ctx);
      registerBatch(app, ctx);
      registerSubscriptions(app, ctx, subscriptions);
      startChangeNotifications(ctx, subscriptions);
    },
    /**
     * Graph lifecycle notifications with the validation handshake (lifecycle/emit.ts); change notifications'
     * push plan, the subscriptions, and lifecycle events of a subscription (push/notify.ts).
     */
    controlOps: { lifecycle: lifecycleEmitOp, ...graphPushOps(subscriptions) },
  };
}
