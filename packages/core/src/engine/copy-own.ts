/**
 * Copies `source`'s own enumerable string-keyed properties onto `target`, as `{ ...source }` would, and returns
 * `target`. Why not a spread: V8 gives every object made by a spread and then given one more key (`{ ...a, b }`,
 * `{ ...a, ...b }`) a hidden class and descriptor array of its own, about 190 bytes, where objects built by plain
 * stores share theirs. A request keeps such copies (its parsed body, each attempt's headers) for a stream's whole
 * life. A `__proto__` key (hostile JSON can carry one) is defined as a data property, as a spread defines it, never
 * set: setting it would change the copy's prototype.
 */
export const copyOwn = <T extends Record<string, unknown>>(target: T, source: Readonly<Record<string, unknown>> | undefined): T => {
  if (source === undefined) return target;
  const into = target as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    if (key === '__proto__') Object.defineProperty(into, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    else into[key] = source[key];
  }
  return target;
};
