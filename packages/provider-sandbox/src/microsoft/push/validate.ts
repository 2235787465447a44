import { randomUUID } from 'node:crypto';
import { deliver, type Delivered } from '../../core/deliver';

/**
 * Graph's validation request (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks, "Notification
 * endpoint validation"): a POST of `?validationToken=<token>` with an empty text/plain body, to the notification
 * URL and to the lifecycle notification URL on subscribing; the endpoint must answer 200, text/plain, the token
 * URL-decoded, within 10 seconds (deliver's timeout).
 */
export async function validateEndpoint(url: string): Promise<{ ok: boolean; answer: Delivered }> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  try {
    const answer = await deliver(target.toString(), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
    });
    const ok =
      answer.status === 200 && /^text\/plain/.test(answer.contentType ?? '') && answer.body === token;
    return { ok, answer };
  } catch {
    return { ok: false, answer: { status: 0, contentType: null, body: '' } };
  }
}
