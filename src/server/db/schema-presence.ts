import type { Generated } from 'kysely';
import type { PresenceState } from '../../shared/domain/agent-presence.js';

// Kysely types of migration 0035 (坐席状态, issue 14).
export interface AgentPresenceTable {
  user_id: number;
  state: PresenceState;
  reason: string | null;
  since: Date;
  seen_at: Date;
}
export interface AgentPresenceLogTable {
  id: Generated<number>;
  user_id: number;
  state: PresenceState;
  reason: string | null;
  at: Date;
}
export interface PresenceTables {
  agent_presence: AgentPresenceTable;
  agent_presence_log: AgentPresenceLogTable;
}
