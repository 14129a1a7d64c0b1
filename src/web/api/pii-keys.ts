// 第六条 个人信息密钥: the admin's view of the PII keyring and its rotations (GET /api/admin/pii-keys).
import { http } from './client';

export interface RotationTableView {
  table: string;
  label: string;
  done: boolean;
  scanned: number;
  estimate: number;
  reencrypted: number;
  rehashed: number;
  unreadable: number;
  unreadableKeys: string[];
  percent: number;
}

export interface RotationDependency {
  kind: string;
  label: string;
  version: number;
  rows: number;
}

export interface Rotation {
  id: number;
  targetVersion: number;
  status: 'running' | 'completed' | 'failed';
  statusLabel: string;
  startedAt: string;
  startedBy: { id: number; name: string | null } | null;
  finishedAt: string | null;
  lastBatchAt: string | null;
  rowsReencrypted: number;
  batches: number;
  percent: number;
  error: string | null;
  tables: RotationTableView[];
  dependencies: RotationDependency[];
}

export interface KeyVersionAdvice {
  version: number;
  role: 'current' | 'previous';
  removable: boolean;
  reason: string;
  dependents: Array<{ kind: string; label: string; rows: number }>;
}

export interface PiiKeyStatus {
  currentVersion: number;
  previousVersions: number[];
  running: Rotation | null;
  runningOtherVersion: boolean;
  history: Rotation[];
  keys: KeyVersionAdvice[];
  missingVersions: number[];
  canStart: boolean;
}

export const piiKeysApi = {
  status: () => http.get<PiiKeyStatus>('/api/admin/pii-keys'),
  startRotation: () => http.post<Rotation>('/api/admin/pii-keys/rotations'),
};
