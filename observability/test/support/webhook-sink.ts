// An HTTP server on loopback that records the JSON bodies POSTed to it, by path: the receiving
// end of Alertmanager's webhooks in the live test.
import { type Server, createServer } from "node:http";
import { closeLoopback, listenOnLoopback } from "../../../compose/local/kit/testing/loopback-http.js";

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
    return listenOnLoopback(this.server, "webhook sink");
  }

  async stop(): Promise<void> {
    await closeLoopback(this.server);
  }
}
