/**
 * The show's side of the presenter console: a Unix socket in an owner-only folder (0700) with the
 * socket itself 0600. Every console gets the show's outline on connect and a snapshot on every
 * change; its commands are handed to the App, which treats them as its own keys.
 */
import { chmodSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import {
  isRemoteCommand,
  lineReader,
  PROTOCOL_VERSION,
  showInfoOf,
  socketDir,
  socketPath,
  type RemoteCommand,
  type ServerMessage,
  type ShowLink,
  type Snapshot,
} from './protocol.js';
import { ensurePrivateDir } from './private.js';
import type { EngineInfo, ShowInfo } from '../ui/show.js';

/** A console that stops reading is dropped before its backlog costs the show memory. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface PresenterServer extends ShowLink {
  readonly path: string;
  /** Connected consoles, for the tests. */
  readonly clients: number;
  close(): void;
  /** For exit paths that cannot wait: removes the socket file. */
  closeSync(): void;
}

/** Whether a show already answers on the socket (a stale file from a crash does not). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export async function startPresenterServer(options: { stateDir: string; show: ShowInfo; engine: EngineInfo; audience: boolean }): Promise<PresenterServer> {
  const dir = socketDir(options.stateDir);
  const path = socketPath(options.stateDir);
  ensurePrivateDir(dir);
  if (await answers(path)) throw new Error(`another show is already running (${path})`);
  try {
    unlinkSync(path);
  } catch {
    // no stale socket
  }

  const hello: ServerMessage = { type: 'hello', version: PROTOCOL_VERSION, show: showInfoOf(options.show), engine: options.engine, audience: options.audience, pid: process.pid };
  const sockets = new Set<net.Socket>();
  let last: Snapshot | undefined;
  let handler: ((command: RemoteCommand) => void) | undefined;
  let replyTo: net.Socket | undefined;
  let closed = false;

  const send = (socket: net.Socket, message: ServerMessage) => {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BACKLOG_BYTES) {
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(message)}\n`);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    send(socket, hello);
    if (last) send(socket, { type: 'state', ...last });
    socket.on(
      'data',
      lineReader((message) => {
        if (!isRemoteCommand(message)) return send(socket, { type: 'error', message: 'not a command this show knows' });
        replyTo = socket;
        handler?.({ action: message.action, index: message.index });
      }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The folder already keeps others out; the socket's own mode says the same thing.
  chmodSync(path, 0o600);
  server.on('error', () => undefined);
  server.unref();

  const removeFile = () => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };

  return {
    path,
    get clients() {
      return sockets.size;
    },
    publish(snapshot) {
      last = snapshot;
      for (const socket of sockets) send(socket, { type: 'state', ...snapshot });
    },
    onCommand(next) {
      handler = next;
      return () => {
        if (handler === next) handler = undefined;
      };
    },
    reply(message) {
      if (replyTo) send(replyTo, { type: 'error', message });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) {
        send(socket, { type: 'bye' });
        socket.end();
      }
      server.close();
      removeFile();
    },
    closeSync() {
      closed = true;
      removeFile();
    },
  };
}
