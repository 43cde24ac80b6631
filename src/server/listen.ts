// Opening a listener and naming the address it got: with port 0 the system picks the port, and
// what is printed and logged must be the real one.
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server, port: number, host: string, protocol: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${protocol}://${shown}:${address.port}`;
}
