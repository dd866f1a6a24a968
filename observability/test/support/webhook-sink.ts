// An HTTP server on loopback that records the JSON bodies POSTed to it, by path: the receiving
// end of Alertmanager's webhooks in the live test.
import { type Server, createServer } from "node:http";

export interface Notification {
  path: string;
  body: { status?: string; alerts?: Array<{ status: string; labels: Record<string, string> }> };
}

export class WebhookSink {
  readonly received: Notification[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let text = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      req.on("end", () => {
        try {
          this.received.push({ path: req.url ?? "/", body: JSON.parse(text) as Notification["body"] });
        } catch {
          this.received.push({ path: req.url ?? "/", body: {} });
        }
        res.writeHead(200).end();
      });
    });
    this.server.requestTimeout = 5_000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    const address = this.server.address();
    if (typeof address !== "object" || !address) throw new Error("webhook sink has no address");
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
