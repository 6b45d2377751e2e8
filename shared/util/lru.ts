/**
 * Memoise a one-argument factory, keeping only the `maxEntries` most recently used values: for
 * objects worth reusing across requests of one execution environment but keyed by something
 * unbounded (a caller id), so a long-lived Lambda does not grow without limit.
 */
export function lru<K, V>(maxEntries: number, factory: (key: K) => V): (key: K) => V {
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recent first.
  const entries = new Map<K, V>();
  return (key) => {
    if (entries.has(key)) {
      const value = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, value);
      return value;
    }
    const value = factory(key);
    entries.set(key, value);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
    return value;
  };
}
