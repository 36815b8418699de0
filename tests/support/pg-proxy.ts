import net from "node:net";

export type PgProxy = {
  /** A DATABASE_URL that reaches PostgreSQL through the proxy. */
  url: string;
  /**
   * The next statement whose text contains `marker` reaches PostgreSQL and
   * runs (and, outside a transaction, commits); from then on its connection
   * hears nothing back. Resolves once the statement went through.
   */
  loseAnswerTo(marker: string): Promise<void>;
  /**
   * Holds every byte, both ways, on open connections and new ones, until
   * resume() delivers them: a network that drops packets for a while, which
   * TCP rides out once it is back.
   */
  pause(): void;
  resume(): void;
  close(): void;
};

/**
 * A TCP proxy in front of PostgreSQL that can go silent mid-request, the way
 * a network that starts dropping packets does: the statement arrives and
 * runs, its answer never comes back.
 */
export async function startPgProxy(target: string): Promise<PgProxy> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let marker: { text: string; sent: () => void } | null = null;
  let paused = false;

  const server = net.createServer((client) => {
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(server);
    // postgres.js sends a statement with parameters in two writes: Parse and
    // Describe (to learn the parameter types), then Bind, Execute and Sync.
    let described: (() => void) | null = null;
    let silent = false;
    client.on("data", (chunk) => {
      server.write(chunk);
      if (described) {
        silent = true;
        described();
        described = null;
      } else if (marker && chunk.includes(marker.text)) {
        described = marker.sent;
        marker = null;
      }
    });
    server.on("data", (chunk) => silent || client.write(chunk));
    for (const [from, to] of [
      [client, server],
      [server, client],
    ] as const) {
      from.on("error", () => to.destroy());
      from.on("close", () => to.destroy());
    }
    if (paused) for (const socket of [client, server]) socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);

  return {
    url: url.toString(),
    loseAnswerTo: (text) => new Promise((sent) => (marker = { text, sent })),
    pause() {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      paused = false;
      for (const socket of sockets) socket.resume();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
