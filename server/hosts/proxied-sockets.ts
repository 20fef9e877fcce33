import type { Socket } from 'node:net'

/** Sockets that arrived through the proxy's tunnels, with the host the client addressed. */
const proxied = new WeakMap<Socket, string>()

export function markProxied(socket: Socket, host: string): void {
  proxied.set(socket, host)
}

/** The host a tunneled request was addressed to; undefined for a direct request. */
export function proxiedHost(socket: Socket | undefined): string | undefined {
  return socket ? proxied.get(socket) : undefined
}
