import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for peers that cannot listen on port 0
 * (DCMTK, Orthanc). Another process may take it first: launchers retry once on "address in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
