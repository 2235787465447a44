/**
 * A browser's cookies for one site, carried by hand: Node's fetch keeps none. Honours Path and Max-Age, which is
 * what the connect flow's cookie relies on; Secure is ignored (tests run over http://127.0.0.1, which browsers treat
 * as a secure context). Each jar is one browser.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  /** fetch with this jar's cookies for the URL's path, storing what the response sets; never follows redirects. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.header(target.pathname);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line);
    return response;
  }

  /** The Cookie header this browser sends to `path`, or undefined. */
  header(path: string): string | undefined {
    const pairs = [...this.cookies]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  /** Names of the cookies held now. */
  names(): string[] {
    return [...this.cookies.keys()];
  }

  private store(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    if (Number(attribute('max-age') ?? '1') <= 0) this.cookies.delete(name);
    else this.cookies.set(name, { value: pair.slice(at + 1), path: attribute('path') ?? '/' });
  }
}
