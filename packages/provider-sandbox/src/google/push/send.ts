import { deliver } from '../../core/deliver';
import { sendPerPlan } from '../../core/pushPlan';
import { type GooglePushRecord, type GooglePushStore } from './store';

type Notice = Pick<GooglePushRecord, 'kind' | 'accountId' | 'id' | 'state'>;

/**
 * Delivers one Google push notice per the module's push plan and records it with the receiver's answer (or as
 * dropped). `request` is built at send time, so each copy of a duplicate is its own request.
 */
export function sendNotice(
  store: GooglePushStore,
  notice: Notice,
  url: string,
  request: () => Promise<{ headers: Record<string, string>; body: string }>,
): void {
  const changedAt = performance.now();
  const sent = sendPerPlan(store, () => {
    void (async () => {
      let status: number | null = null;
      try {
        status = (await deliver(url, await request())).status;
      } catch {
        status = null; // unreachable receiver: Google retries, then gives up; the record says so
      }
      store.sent.push({ ...notice, status, tookMs: performance.now() - changedAt });
    })();
  });
  if (!sent) store.sent.push({ ...notice, status: null, tookMs: null });
}
