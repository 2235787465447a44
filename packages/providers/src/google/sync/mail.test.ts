import { type SyncRequest } from '@crm-sync/core';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { classificationOf } from '../../../test/sandbox';
import { createMailSyncer, lastChangePerMessage } from './mail';
import { MAIL_BODY_DEFAULTS } from '../../shared/mailBody';

test('the last history record about a message decides between re-get and deletion', () => {
  const history: gmail_v1.Schema$History[] = [
    { id: '101', messagesAdded: [{ message: { id: 'a', threadId: 'a' } }, { message: { id: 'b' } }] },
    { id: '102', labelsAdded: [{ message: { id: 'a' }, labelIds: ['STARRED'] }] },
    { id: '105', messagesDeleted: [{ message: { id: 'b' } }] },
    { id: '107', labelsRemoved: [{ message: { id: 'c' }, labelIds: ['UNREAD'] }] },
    { id: '108', messages: [{ id: 'ignored-without-a-typed-entry' }] },
  ];
  expect([...lastChangePerMessage(history)]).toEqual([
    ['a', 'changed'],
    ['b', 'deleted'],
    ['c', 'changed'],
  ]);
});

test.each([
  ['an unknown phase', { phase: 'sideways', startHistoryId: '1', pageToken: 'p' }],
  ['a full round without its after: bound', { phase: 'full', startHistoryId: '1', pageToken: 'p' }],
  ['a missing page token', { phase: 'incremental', startHistoryId: '1' }],
])(
  'a stored continuation with %s restarts the resource (cursor_expired), before any request',
  async (_n, c) => {
    // Nothing listens on this origin: a request would fail as transient, not as cursor_expired.
    const syncer = createMailSyncer(
      { endpoints: { apiRootUrl: 'http://127.0.0.1:9/' }, fetch },
      { pageSize: 10, concurrency: 2, body: MAIL_BODY_DEFAULTS },
    );
    const request: SyncRequest = {
      accessToken: 'at',
      position: { mode: 'full', cursor: null, continuation: c },
      now: new Date(),
      initialWindowDays: 30,
    };
    expect(await classificationOf(syncer.fetchPage(request))).toEqual({ kind: 'cursor_expired' });
  },
);
