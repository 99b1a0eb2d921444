/**
 * Entry point of the receiver child process (dist/loopback-receiver.js). Argument 1 is the
 * ReceiverConfig as JSON; it answers over the IPC channel (see receiver-messages.ts).
 */
import type { ReceiverConfig } from './loopback-receiver.js';
import { startReceiver } from './loopback-receiver.js';
import type { FromReceiver, ToReceiver } from './receiver-messages.js';

function send(message: FromReceiver): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ReceiverConfig; // written by forkReceiver
  const receiver = await startReceiver(config);
  process.on('message', (message: ToReceiver) => {
    if (message.type === 'arm') {
      void receiver.arm(message.bytes).then(({ done }) => {
        send({ type: 'armed' });
        void done.then((round) => send({ type: 'done', ...round }));
      });
    } else {
      void receiver.close().then((memory) => {
        send({ type: 'closed', ...memory });
        process.disconnect();
      });
    }
  });
  send({ type: 'listening', port: receiver.port });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect();
});
