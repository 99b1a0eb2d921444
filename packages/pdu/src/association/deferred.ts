/** A promise with its settle functions, for Node 20 (no Promise.withResolvers). */
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void; // assigned synchronously by the Promise executor below
  reject!: (reason: unknown) => void; // likewise

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
