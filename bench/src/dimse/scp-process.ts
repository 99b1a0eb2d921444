/**
 * Entry point of the dicomnet SCP child process (dist/dimse-scp.js): `createServer` with
 * Verification and every Storage SOP Class, C-STORE through `storeToDirectory`. Argument 1 is the
 * ScpConfig as JSON; it answers over the IPC channel (see scp-messages.ts).
 */
import { createServer, isStorageSopClass, storeToDirectory } from '@dicomnet/dimse';
import type { FromScp, ScpConfig, ToScp } from './scp-messages.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

function send(message: FromScp): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ScpConfig; // written by forkScp
  const syntaxes = [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN];
  const server = createServer({
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: syntaxes },
      { abstractSyntax: isStorageSopClass, transferSyntaxes: syntaxes },
    ],
    handlers: { store: storeToDirectory(config.outputDir, { fsync: config.fsync }) },
    ...(config.maxOperationsPerformed !== undefined && {
      maxOperationsPerformed: config.maxOperationsPerformed,
    }),
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const idleRssBytes = process.memoryUsage.rss();
  process.on('message', (message: ToScp) => {
    if (message.type === 'usage') {
      const { user, system } = process.cpuUsage();
      send({ type: 'usage', cpuMicros: user + system });
      return;
    }
    void server
      .close()
      .then(() => {
        // resourceUsage().maxRSS is in KiB.
        send({ type: 'closed', idleRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
        process.disconnect();
      })
      .catch((error: unknown) => fail(error));
  });
  send({ type: 'listening', port });
}

function fail(error: unknown): void {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect();
}

main().catch(fail);
