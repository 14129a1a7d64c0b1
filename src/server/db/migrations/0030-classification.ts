import { sql, type Kysely } from 'kysely';

// 第四、十二条 智能分类 (issue 13): the trained category models with their evaluation, the weekly take-rate rollup
// (how often agents and dispatchers take a suggestion), the training claim that keeps several schedulers from
// training at once, and keywords an admin may add to a category to enrich the tree prior.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- words a category is known by besides its name (the prior of a new centre's model); empty by default
ALTER TABLE categories ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';

CREATE TABLE classifier_models (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('candidate','active','retired','rejected')),
  trained_at timestamptz NOT NULL,
  -- labelled tickets it learned from (0: the cold-start model of the category tree alone)
  examples integer NOT NULL,
  categories integer NOT NULL,
  -- holdout accuracy / macro-F1 / top-3 of this model and of the model active then, on the same holdout
  evaluation jsonb NOT NULL DEFAULT '{}',
  -- model-codec.ts: labels (category ids), vocabulary, idf and Float32 weights, little-endian binary
  model bytea NOT NULL,
  size integer NOT NULL,
  -- null: the scheduler trained it
  trained_by integer REFERENCES users(id),
  note text,
  activated_at timestamptz
);
-- at most one model is in use
CREATE UNIQUE INDEX classifier_models_one_active ON classifier_models((true)) WHERE status = 'active';

-- one row: who trains now (a claim with an expiry, so a crashed trainer does not block training forever) and
-- where the last training stopped (the next one is due after a week or after N new tickets)
CREATE TABLE classifier_training (
  id smallint PRIMARY KEY CHECK (id = 1),
  claimed_until timestamptz,
  claimed_by text,
  last_trained_at timestamptz,
  last_ticket_id bigint NOT NULL DEFAULT 0
);
INSERT INTO classifier_training (id) VALUES (1);

-- the figure that matters in production: suggestions shown, the first taken, any of the three taken; per week
-- (Monday, local), role and the category finally chosen; incremented in the transaction that chose it
CREATE TABLE classification_take_rates (
  week date NOT NULL,
  role text NOT NULL CHECK (role IN ('agent','dispatcher')),
  category_id integer NOT NULL REFERENCES categories(id),
  shown integer NOT NULL DEFAULT 0,
  first_taken integer NOT NULL DEFAULT 0,
  any_taken integer NOT NULL DEFAULT 0,
  PRIMARY KEY (week, role, category_id)
);

-- 第十二条 unit suggestion: the history of one category in one area, newest first
CREATE INDEX tickets_category_region ON tickets(category_id, region_code text_pattern_ops, id DESC);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0030-classification is not reversible');
}
