/** What a receiver answered to a notice the sandbox sent (tests assert on it). */
export interface Delivered {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * Sends one notice to a receiver the way providers do: one HTTP request, nothing followed, the answer read in
 * full. The receiver is whatever URL the control call names (a test's connect-api, usually on loopback).
 */
export async function deliver(
  url: string,
  init: { method?: string; headers: Record<string, string>; body: string },
): Promise<Delivered> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}
