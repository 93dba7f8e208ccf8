/** A before or after value (stored as JSON) in a short line; long ones cut with an ellipsis. */
export function shortValue(json: string | null, max = 140): string {
  if (json === null) return ''
  let text = json
  try {
    const v: unknown = JSON.parse(json)
    text = typeof v === 'string' ? v : JSON.stringify(v)
  } catch {
    // Not JSON after all: show it as it is.
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
