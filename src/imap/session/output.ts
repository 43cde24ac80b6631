// Writes responses to the socket, waiting for it to drain when its buffer is full, so that a
// client that does not read cannot make the server hold unbounded output: the session stops
// running commands until what it wrote has gone.
import type { Socket } from 'node:net';

export class Output {
  private socket: Socket;
  private closed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.once('close', () => this.close());
  }

  /** After STARTTLS: the TLS socket carries the responses from now on. */
  replaceSocket(socket: Socket): void {
    this.socket = socket;
    socket.once('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  async write(data: Buffer): Promise<void> {
    if (this.isClosed) return;
    if (this.socket.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private close(): void {
    this.closed = true;
  }
}
