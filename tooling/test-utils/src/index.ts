export { fromHex, toHex, asciiHex, concatBytes, splits } from './hex.js';
export { freePort } from './free-port.js';
export { duplexPair } from './duplex-pair.js';
export { tempDir } from './temp-dir.js';
