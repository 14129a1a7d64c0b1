import type { Kysely } from 'kysely';
import type { Clock } from '../../src/server/clock.js';
import type { DB } from '../../src/server/db/schema.js';
import type { ClassifierEvaluation } from '../../src/server/db/schema-classification.js';
import { trainClassifier } from '../../src/server/domain/classifier/classifier.js';
import { encodeModel } from '../../src/server/domain/classifier/model-codec.js';

/**
 * A stored model that was in use before (status 'retired'), learned from the tree prior alone: a category and its
 * keywords. What the admin may roll back to and read the figures of; `evaluation` as the training gate would have
 * stored it (default: none).
 */
export async function insertRetiredModel(
  db: Kysely<DB>,
  clock: Clock,
  prior: { categoryId: number; keywords: string[] },
  evaluation: ClassifierEvaluation = {},
): Promise<{ id: number }> {
  const bytes = encodeModel(trainClassifier([], [{ label: String(prior.categoryId), keywords: prior.keywords }]));
  return db
    .insertInto('classifier_models')
    .values({
      status: 'retired',
      trained_at: clock.now(),
      examples: 0,
      categories: 1,
      evaluation: JSON.stringify(evaluation),
      model: bytes,
      size: bytes.byteLength,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
