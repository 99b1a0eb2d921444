import { Duplex } from 'node:stream';

/**
 * Two connected in-memory Duplex streams: what one writes the other reads. Ending one side
 * ends the other's readable side; destroying one destroys both, like a TCP reset.
 */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (!other.destroyed) other.destroy();
        callback(error);
      },
    });
  // Each side finds its peer lazily: the second side does not exist when the first is made.
  const left = make(() => sides[1] as Duplex);
  const right = make(() => sides[0] as Duplex);
  sides.push(left, right);
  return [left, right];
}
