// Opening a listener and naming the address it got: with port 0 the system picks the port, and
// what is printed and logged must be the real one.
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

const FLAG = { http: '--http-port', https: '--https-port' } as const;

export async function listen(server: Server, port: number, host: string, protocol: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(explained(error, port, host, protocol));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${protocol}://${shown}:${address.port}`;
}

/** The two failures an administrator meets, said with what to do about them. */
function explained(error: NodeJS.ErrnoException, port: number, host: string, protocol: 'http' | 'https'): Error {
  const where = `${protocol.toUpperCase()} port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') return new Error(`the ${where} is already in use (another Godwit?): stop what uses it, or choose another port with ${FLAG[protocol]}`);
  if (error.code === 'EACCES') return new Error(`the ${where} needs privileges this process lacks: choose a port above 1023 with ${FLAG[protocol]}`);
  if (error.code === 'EADDRNOTAVAIL') return new Error(`${host} is not an address of this machine (--host / GODWIT_HOST)`);
  return error;
}
