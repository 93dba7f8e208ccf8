import { Monitor } from '../src/monitor/monitor'
import { FakeClock } from '../test/helpers/fake-clock'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

/**
 * The whole first slice in simulated time: demo pump → batcher → SQLite → subscribers. The
 * demo plant at 1 kHz for 60 simulated seconds shows how much headroom a live source has.
 */
export async function benchDemoPipeline(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-')
  const clock = new FakeClock()
  const m = await Monitor.create({
    dataDir: tmp.dir,
    host: 'test',
    demo: { rateHz: 1000 },
    clock,
    backend: 'skip',
  })
  let delivered = 0
  m.on('samples', (b) => (delivered += b.t.length))
  const start = performance.now()
  clock.advance(60_000)
  const seconds = (performance.now() - start) / 1000
  await m.close()
  tmp.remove()
  report('pipeline.demo.samples_per_s', delivered / seconds, 'samples/s', {
    ...context,
    samples: delivered,
  })
}
