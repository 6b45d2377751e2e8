/** Memoise a zero-argument factory: the value is built on first use, once per execution environment. */
export function once<T>(factory: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = factory();
      built = true;
    }
    return value;
  };
}
