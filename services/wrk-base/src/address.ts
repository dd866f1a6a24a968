/** `host:port` with an IPv4 address or a name, or an IPv6 address in brackets (`[::1]:50051`). */
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d+)$/;

/** Whether `value` is a `host:port` address with a port from 1 to 65535: settings and registrations alike. */
export function isHostPort(value: string): boolean {
  const match = HOST_PORT.exec(value);
  const port = match ? Number(match[2]) : 0;
  return match !== null && port >= 1 && port <= 65535;
}
