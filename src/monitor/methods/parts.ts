import type { SignedInContext, Status } from '../../contract'
import type { AlarmService } from '../../alarms/alarm-service'
import type { AuditRecord } from '../../audit/audit-trail'
import type { AuthService } from '../../auth/auth-service'
import type { Historian } from '../../historian/historian'
import type { DemoSource } from '../../ingest/demo-plant/demo-source'
import type { Logger } from '../../log/logger'
import type { ModelService } from '../../model/service/model-service'
import type { SampleBatcher } from '../sample-batcher'
import type { SourceManager } from '../source-manager'

/** What the contract's methods are answered from: the monitor's services. */
export interface MonitorParts {
  historian: Historian
  batcher: SampleBatcher
  sources: SourceManager
  models: ModelService
  alarms: AlarmService
  auth: AuthService
  demo: DemoSource | null
  log: Logger
  status(): Status
  runMaintenance(): Promise<void>
}

/** Records a change in the audit trail under the signed-in caller, with where the call came from. */
export function audit(
  parts: Pick<MonitorParts, 'historian'>,
  ctx: SignedInContext,
  r: Omit<AuditRecord, 'user' | 'origin'>,
): void {
  parts.historian.auditTrail.record({ ...r, user: ctx.caller.name, origin: ctx.origin })
}
