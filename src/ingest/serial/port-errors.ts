/**
 * Turns an error from opening or using a serial port into words a technician can act on.
 * The raw message stays in the log; this is what the Sources page shows.
 */
export function explainPortError(err: unknown, path: string): string {
  const e = err as { code?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  const message = typeof e.message === 'string' ? e.message : String(err)
  if (code === 'EACCES' || /permission denied|access denied/i.test(message)) {
    return (
      `No permission to use ${path}. On Linux, add this user to the "dialout" group ` +
      '(sudo usermod -aG dialout $USER), then log out and in again; or ask the administrator for a udev rule.'
    )
  }
  if (code === 'ENOENT' || /no such file|cannot find|not found/i.test(message)) {
    return `${path} does not exist: the adapter is unplugged, or it appeared under another name (check the port list).`
  }
  if (code === 'EBUSY' || /resource busy|cannot lock|locked/i.test(message)) {
    return `${path} is in use by another program. Close it (or the other Vigil source on this port) and try again.`
  }
  if (
    code === 'EBADF' ||
    /disconnected|EIO|input\/output error|bad file descriptor/i.test(message)
  ) {
    return `${path} stopped answering: the cable or adapter was disconnected.`
  }
  return `${path}: ${message}`
}
