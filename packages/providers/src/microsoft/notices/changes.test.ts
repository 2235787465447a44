import { NoticeRefusedError, pushSecretDigest } from '@crm-sync/core';
import { verifyGraphChanges } from './changes';
import { graphClientState } from './clientState';
import { verifyGraphLifecycle } from './lifecycle';

const connectionId = '0b7f8a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const body = (items: object[]) => JSON.stringify({ value: items });
const item = (clientState: string | undefined) => ({
  subscriptionId: 'sub-1',
  changeType: 'created',
  resource: 'Users/u/Contacts/c',
  clientState,
});
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof NoticeRefusedError ? error.refusal : 'other';
  }
  return 'accepted';
};

describe('Graph change notifications', () => {
  it('name the subscription, with the clientState’s digest only, and ask for a round', () => {
    const state = graphClientState('key', connectionId);
    const delivery = verifyGraphChanges('key', body([item(state)]));
    expect(delivery.notices).toEqual([
      {
        kind: 'created',
        action: 'sync',
        target: { kind: 'channel', channelId: 'sub-1', secretDigest: pushSecretDigest(state) },
      },
    ]);
    expect(JSON.stringify(delivery)).not.toContain(state);
  });

  it('refuse the whole delivery when any item’s clientState is not ours, or is missing', () => {
    const ours = graphClientState('key', connectionId);
    expect(
      refusal(() =>
        verifyGraphChanges('key', body([item(ours), item(graphClientState('other', connectionId))])),
      ),
    ).toBe('bad_signature');
    expect(refusal(() => verifyGraphChanges('key', body([item(undefined)])))).toBe('bad_signature');
    expect(refusal(() => verifyGraphChanges('key', 'not json'))).toBe('malformed');
    expect(refusal(() => verifyGraphChanges('key', body([{ ...item(ours), changeType: 'moved' }])))).toBe(
      'malformed',
    );
  });

  it('a lifecycle notice names its subscription and what becomes of it', () => {
    const state = graphClientState('key', connectionId);
    const lifecycle = (lifecycleEvent: string) =>
      verifyGraphLifecycle('key', body([{ subscriptionId: 'sub-1', clientState: state, lifecycleEvent }]))
        .notices[0];
    expect(lifecycle('reauthorizationRequired')).toMatchObject({
      action: 'record',
      channel: { effect: 'renew' },
    });
    expect(lifecycle('subscriptionRemoved')).toMatchObject({
      action: 'resync',
      channel: { effect: 'reopen' },
    });
    expect(lifecycle('missed')).toMatchObject({
      action: 'sync',
      channel: { channelId: 'sub-1', effect: 'none' },
    });
  });
});
