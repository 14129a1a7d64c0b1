import type { Generated } from 'kysely';
import type { CallbackAttemptOutcome } from '../../shared/domain/callback-attempts.js';

// Kysely types of migration 0036 (第十七条 回访未果).
export interface CallbackAttemptsTable {
  id: Generated<number>;
  ticket_id: number;
  agent_id: number;
  outcome: CallbackAttemptOutcome;
  note: string | null;
  at: Date;
}
export interface CallbackTables {
  callback_attempts: CallbackAttemptsTable;
}
