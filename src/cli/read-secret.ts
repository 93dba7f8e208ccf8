/**
 * A password from standard input: at a terminal, typed without echo (asked twice when
 * `confirm`); from a pipe or file, its first line. Never from the command line, where it would
 * stay in the shell history and the process list.
 */
export async function readPassword(prompt: string, confirm: boolean): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) return firstLine()
  const first = await readHidden(prompt)
  if (!confirm) return first
  const again = await readHidden('Repeat it: ')
  if (again !== first) throw new Error('The two passwords differ; nothing was changed.')
  return first
}

async function firstLine(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
    if ((chunk as Buffer).includes(10)) break
  }
  const text = Buffer.concat(chunks).toString('utf8')
  const line = text.split('\n')[0] ?? ''
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  return new Promise((resolve, reject) => {
    let typed = ''
    const done = (err?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(typed)
    }
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new Error('Cancelled.'))
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    stdin.on('data', onData)
  })
}
