/** Prints one benchmark figure as one JSON line, with the context it was measured in. */
export function report(
  bench: string,
  value: number,
  unit: string,
  context: Record<string, unknown> = {},
): void {
  process.stdout.write(
    JSON.stringify({ bench, value: Number(value.toPrecision(6)), unit, ...context }) + '\n',
  )
}
