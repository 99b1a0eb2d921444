/** One restartable timeout; starting it again replaces the previous one. Never keeps Node alive. */
export class Timer {
  #handle: NodeJS.Timeout | undefined;

  start(ms: number, onExpiry: () => void): void {
    this.stop();
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      onExpiry();
    }, ms);
    this.#handle.unref();
  }

  stop(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
