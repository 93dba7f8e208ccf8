import { VERSION } from '../version'
import { parseCliArgs, UsageError, USAGE } from './args'
import { backup } from './backup'
import { evaluate } from './eval'
import { serve } from './serve'
import { users } from './users'

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv)
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE)
      return
    case 'version':
      process.stdout.write(`${VERSION}\n`)
      return
    case 'serve':
      await serve(args)
      return
    case 'users':
      await users(args)
      return
    case 'backup':
      await backup(args)
      return
    case 'eval':
      await evaluate(args)
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`vigil: ${err.message}\n\n${USAGE}`)
    process.exit(2)
  }
  process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
