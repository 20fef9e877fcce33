/**
 * A reason the emulator cannot start that the user can fix (a port in use, a data folder it cannot
 * write, a file that is not its database): the command line prints the message as one line and
 * exits 2, with the stack only at `--log-level debug`.
 */
export class StartupError extends Error {
  override name = 'StartupError'
}

/** The error code Node gives a failed system call (`EADDRINUSE`, `ENOTDIR`…), or undefined. */
export const systemCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** What a thrown value says: an Error's message, anything else as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Why a listener could not bind, naming its flag: `--port 7070 is in use on 127.0.0.1`. */
export function listenFailure(error: unknown, flag: string, port: number, host: string): Error {
  const code = systemCode(error)
  const what = `${flag} ${port}`
  if (code === 'EADDRINUSE')
    return new StartupError(
      `${what} is in use on ${host}: stop what holds it, or choose another port (0 picks a free one)`,
      { cause: error },
    )
  if (code === 'EACCES')
    return new StartupError(
      `${what} needs privileges this process lacks on ${host}: choose a port above 1023`,
      { cause: error },
    )
  if (code === 'EADDRNOTAVAIL')
    return new StartupError(`--host ${host} is not an address of this machine`, { cause: error })
  return error instanceof Error ? error : new Error(String(error))
}
