/**
 * The URL of a request target, for routing: its path taken as it is, like aiohttp does. Never throws:
 * `new URL("//a:b", base)` would read `//a:b` as a host with a bad port; here targets in absolute
 * form or with stray characters are simply paths no route matches. A `#fragment` is dropped.
 */
export function requestUrl(target: string | undefined): URL {
  const whole = target ?? "/";
  const fragment = whole.indexOf("#");
  const raw = fragment === -1 ? whole : whole.slice(0, fragment);
  const query = raw.indexOf("?");
  const url = new URL("http://localhost/");
  url.pathname = query === -1 ? raw : raw.slice(0, query);
  if (query !== -1) url.search = raw.slice(query);
  return url;
}
