// One line per step, each with a mark, and a summary of them all at the end.

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR
const paint = (code, text) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text)

const MARKS = {
  ok: paint('32', '✔'),
  fail: paint('31', '✖'),
  warn: paint('33', '!'),
}

/** Collects step results; `fail` ones make the run unsuccessful. */
export function createReport() {
  /** @type {{ level: 'ok' | 'fail' | 'warn', text: string }[]} */
  const lines = []
  const add = (level, text) => {
    lines.push({ level, text })
    console.log(`${MARKS[level]} ${text}`)
  }
  return {
    ok: (text) => add('ok', text),
    fail: (text) => add('fail', text),
    warn: (text) => add('warn', text),
    /** Announces a step whose own output follows. */
    step: (text) => console.log(`\n${paint('1', '→ ' + text)}`),
    failed: () => lines.some((line) => line.level === 'fail'),
    summary(title) {
      console.log(`\n${paint('1', title)}`)
      for (const { level, text } of lines) console.log(`  ${MARKS[level]} ${text}`)
    },
  }
}
