import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import {
  DEFAULT_TRAINING,
  trainAndGate,
  trainingDue,
  type TrainingOptions,
} from '../modules/classification/classifier-training.js';

// 第四条 智能化: the scheduler retrains the category model weekly, or sooner after many new tickets (env
// CLASSIFIER_RETRAIN_TICKETS, default 5000). Several schedulers: the training claim lets one train, the others
// answer 'busy' and try again at their next pass.
export const RETRAIN_RULE = {
  everyDays: 7,
  afterTickets:
    Number(process.env.CLASSIFIER_RETRAIN_TICKETS) > 0 ? Number(process.env.CLASSIFIER_RETRAIN_TICKETS) : 5000,
};

export async function classifierTrainingPass(
  db: Kysely<DB>,
  clock: Clock,
  rule = RETRAIN_RULE,
  opts: TrainingOptions = DEFAULT_TRAINING,
): Promise<Record<string, number>> {
  if (!(await trainingDue(db, clock.now(), rule))) return { trained: 0, busy: 0 };
  const r = await trainAndGate({ db, clock }, null, opts, rule);
  if (r.outcome === 'busy') return { trained: 0, busy: 1 };
  if (r.outcome === 'not_due') return { trained: 0, busy: 0 };
  return { trained: 1, activated: r.outcome === 'active' ? 1 : 0, rejected: r.outcome === 'rejected' ? 1 : 0 };
}
