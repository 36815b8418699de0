import net from "node:net";

// Stands between an app and PostgreSQL so a test can take the database away
// and give it back: "refuse" closes every connection and refuses new ones,
// "hang" accepts connections and forwards nothing.

export type Mode = "forward" | "refuse" | "hang";

export type TcpProxy = { port: number; setMode: (mode: Mode) => void; close: () => Promise<void> };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = "forward";
  const open = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    if (mode === "refuse") return client.destroy();
    if (mode === "hang") return;
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    open.add(upstream);
    pairs.add(pair);
    upstream.on("close", () => {
      open.delete(upstream);
      pairs.delete(pair);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setMode: (next) => {
      mode = next;
      if (next === "refuse") for (const socket of open) socket.destroy();
      // Open connections fall silent, as when packets are dropped on the way.
      if (next === "hang") {
        for (const [client, upstream] of pairs) {
          client.unpipe(upstream);
          upstream.unpipe(client);
          client.pause();
          upstream.pause();
        }
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
