import { SerialPort } from 'serialport'
import type { ContractMethods } from '../../contract'
import { importFile } from '../../ingest/file/import-file'
import { previewFile } from '../../ingest/file/preview-file'
import { discoverPorts } from '../../ingest/serial/port-discovery'
import { audit, type MonitorParts } from './parts'

type SourceMethodName =
  | 'listSources'
  | 'saveSource'
  | 'deleteSource'
  | 'listPorts'
  | 'testSource'
  | 'getSourceHealth'
  | 'previewFile'
  | 'importFile'

/** Configured sources and files; files only from the allowed folders. */
export function sourceMethods(m: MonitorParts): Pick<ContractMethods, SourceMethodName> {
  return {
    listSources: async () => m.sources.list(),
    saveSource: async (config, ctx) => {
      const before = m.sources.get(config.id)
      const saved = await m.sources.save(config)
      audit(m, ctx, { action: 'source-saved', target: `source:${saved.id}`, before, after: saved })
      return saved
    },
    deleteSource: async ({ id }, ctx) => {
      const before = m.sources.get(id)
      m.sources.delete(id)
      audit(m, ctx, { action: 'source-deleted', target: `source:${id}`, before })
      return { id }
    },
    listPorts: () => discoverPorts({ list: () => SerialPort.list() }),
    testSource: (config) => m.sources.test(config),
    getSourceHealth: async ({ id }) => m.sources.health(id),
    previewFile: (params) => previewFile(params.path, m.auth.fileFolders(), params.maxLines),
    importFile: async (params, ctx) => {
      const result = await importFile(params, m.historian, {
        folders: m.auth.fileFolders(),
        log: m.log.scope('import'),
      })
      audit(m, ctx, {
        action: 'file-imported',
        target: `source:${params.sourceId}`,
        after: { path: params.path, lines: result.lines, stored: result.stored },
      })
      return result
    },
  }
}
