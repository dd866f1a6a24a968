// Turns the compose stack's alertmanager.yml into one for a test on loopback: the same routes,
// inhibitions and receivers, with every webhook sent to a local server (same path) and the
// grouping delays cut to a second, so a notification arrives within seconds of an alert.
import { parse, stringify } from "yaml";

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface AlertmanagerConfig {
  route: Route;
  receivers: Array<{ name: string; webhook_configs?: Array<{ url: string; [key: string]: unknown }>; [key: string]: unknown }>;
  [key: string]: unknown;
}

function shorten(route: Route): Route {
  return {
    ...route,
    group_wait: "1s",
    group_interval: "1s",
    repeat_interval: "1m",
    ...(route.routes ? { routes: route.routes.map(shorten) } : {}),
  };
}

/** `webhookBase` like `http://127.0.0.1:4567`: a receiver's `http://alert-relay:9095/oncall` becomes `${webhookBase}/oncall`. */
export function loopbackAlertmanagerConfig(text: string, webhookBase: string): string {
  const config = parse(text) as AlertmanagerConfig;
  const receivers = config.receivers.map((receiver) => {
    const others = Object.keys(receiver).filter((key) => key.endsWith("_configs") && key !== "webhook_configs");
    if (others.length > 0) throw new Error(`receiver ${receiver.name}: only webhooks can be sent to a loopback server (${others.join(", ")})`);
    return {
      ...receiver,
      webhook_configs: (receiver.webhook_configs ?? []).map((webhook) => ({ ...webhook, url: `${webhookBase}${new URL(webhook.url).pathname}` })),
    };
  });
  return stringify({ ...config, route: shorten(config.route), receivers });
}
