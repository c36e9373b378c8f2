/**
 * The console's side of the link: connects to the show's socket, keeps the latest outline and
 * snapshot, reconnects when the show restarts, and sends the console's commands.
 */
import net from 'node:net';
import { isServerMessage, lineReader, PROTOCOL_VERSION, type RemoteCommand, type ServerMessage, type Snapshot } from './protocol.js';

export const RETRY_MS = 1000;

export interface ConsoleView {
  status: 'waiting' | 'connected';
  hello?: Extract<ServerMessage, { type: 'hello' }>;
  snapshot?: Snapshot;
  /** The show's answer to a command it could not follow, or why the console is waiting. */
  notice?: { text: string; at: number };
}

export class ShowConnection {
  private socket?: net.Socket;
  private retry?: ReturnType<typeof setTimeout>;
  private closed = false;
  private view: ConsoleView = { status: 'waiting' };
  private readonly listeners = new Set<(view: ConsoleView) => void>();

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): ConsoleView {
    return this.view;
  }

  subscribe(listener: (view: ConsoleView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(change: Partial<ConsoleView>) {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener(this.view);
  }

  start(): void {
    if (this.closed || this.socket) return;
    const socket = net.connect(this.path);
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('connect', () => this.update({ status: 'connected', notice: undefined }));
    socket.on(
      'data',
      lineReader((message) => {
        if (!isServerMessage(message)) return;
        this.receive(message);
      }),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const wasConnected = this.view.status === 'connected';
      this.socket = undefined;
      if (this.closed) return;
      this.update({
        status: 'waiting',
        notice: wasConnected ? { text: 'the show went away: waiting for it to start again', at: this.now() } : this.view.notice,
      });
      this.retry = setTimeout(() => this.start(), RETRY_MS);
    });
  }

  private receive(message: ServerMessage) {
    switch (message.type) {
      case 'hello':
        if (message.version !== PROTOCOL_VERSION) {
          this.update({ notice: { text: `the show speaks protocol ${message.version}, this console ${PROTOCOL_VERSION}: update one of them`, at: this.now() } });
          return;
        }
        this.update({ hello: message });
        return;
      case 'state': {
        const { type: _type, ...snapshot } = message;
        this.update({ snapshot });
        return;
      }
      case 'error':
        this.update({ notice: { text: message.message, at: this.now() } });
        return;
      case 'bye':
        this.update({ notice: { text: 'the show has ended', at: this.now() } });
        return;
    }
  }

  send(command: RemoteCommand): boolean {
    if (!this.socket || this.view.status !== 'connected') {
      this.update({ notice: { text: 'not connected to a show', at: this.now() } });
      return false;
    }
    this.socket.write(`${JSON.stringify({ type: 'command', ...command })}\n`);
    return true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket?.destroy();
    this.socket = undefined;
  }
}
