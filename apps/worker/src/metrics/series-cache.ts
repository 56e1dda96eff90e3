/**
 * Memoises what `make` builds for up to three label values, found by nested `Map` lookups: a request's metric
 * updates then neither build a key string nor a labels object. Callers pass bounded values only (endpoint names,
 * closed sets such as outcome kinds and API names, model labels already capped by the metrics), so the cache is
 * bounded by them.
 */
export const seriesCache = <T>(make: (a: string, b: string, c: string) => T): ((a: string, b?: string, c?: string) => T) => {
  const root = new Map<string, Map<string, Map<string, T>>>();
  return (a, b = '', c = '') => {
    let first = root.get(a);
    if (!first) root.set(a, (first = new Map()));
    let second = first.get(b);
    if (!second) first.set(b, (second = new Map()));
    let found = second.get(c);
    if (found === undefined) second.set(c, (found = make(a, b, c)));
    return found;
  };
};
