"""The SQL of the later migrations (7 onwards), kept apart from `schema` so each file
stays readable; `schema` applies them, in order, as the numbered migrations it lists.
Never edit one that has shipped: add a migration instead."""

ABSENT_VALUES = """
-- A stage reached at a date the export does not give (a status column with no date
-- beside it): reached_at is NULL. Such a lead counts as having reached the stage, and is
-- left out of every figure that needs the date.
DROP VIEW lead_stage_reached;
CREATE TABLE lead_stage_dates_0007 (
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    reached_at TEXT,
    PRIMARY KEY (lead_id, stage_id)
) WITHOUT ROWID;
INSERT INTO lead_stage_dates_0007 (lead_id, stage_id, reached_at)
    SELECT lead_id, stage_id, reached_at FROM lead_stage_dates;
DROP TABLE lead_stage_dates;
ALTER TABLE lead_stage_dates_0007 RENAME TO lead_stage_dates;
CREATE INDEX lead_stage_dates_stage ON lead_stage_dates (stage_id, reached_at);
CREATE VIEW lead_stage_reached (lead_id, stage_id, reached_at) AS
    SELECT lead_id, stage_id, reached_at FROM lead_stage_dates
    UNION ALL
    SELECT l.id, b.entry_stage_id, l.created_at
    FROM leads l JOIN import_batches b ON b.id = l.import_batch
    WHERE b.entry_stage_id IS NOT NULL;

-- An actual whose value the sheet does not give: value is NULL (never a made-up 0).
CREATE TABLE actuals_0007 (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    source TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL CHECK (count >= 0),
    value REAL CHECK (value IS NULL OR value >= 0),
    PRIMARY KEY (quarter_id, stage_id, source)
);
INSERT INTO actuals_0007 (quarter_id, stage_id, source, count, value)
    SELECT quarter_id, stage_id, source, count, value FROM actuals;
DROP TABLE actuals;
ALTER TABLE actuals_0007 RENAME TO actuals;

-- Columns of an import that feed no field, kept per lead in leads.attributes: which
-- import kept which, and the type read from their values (number, boolean, date, text).
CREATE TABLE import_attributes (
    batch_id INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('number', 'boolean', 'date', 'text')),
    PRIMARY KEY (batch_id, name)
);

-- Not every value of a disposition column is a disposition: "New" or "Open" says the rep
-- has not dispositioned the lead yet (disposed = 0).
ALTER TABLE disposition_codes ADD COLUMN disposed INTEGER NOT NULL DEFAULT 1
    CHECK (disposed IN (0, 1));
"""

SCORING_MODELS = """
-- Scoring models: one per product line, each with its own rules and thresholds. Exactly
-- one is the model the SLA uses; the thresholds of the one scoring_settings row move to
-- the first model, which takes the SLA.
CREATE TABLE scoring_models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    position INTEGER NOT NULL DEFAULT 0,
    used_by_sla INTEGER NOT NULL DEFAULT 0 CHECK (used_by_sla IN (0, 1)),
    mql_threshold INTEGER NOT NULL DEFAULT 60 CHECK (mql_threshold >= 0),
    fit_threshold INTEGER NOT NULL DEFAULT 30 CHECK (fit_threshold >= 0),
    interest_threshold INTEGER NOT NULL DEFAULT 30 CHECK (interest_threshold >= 0)
);
CREATE UNIQUE INDEX scoring_models_one_for_sla ON scoring_models (used_by_sla)
    WHERE used_by_sla = 1;
INSERT INTO scoring_models (id, name, position, used_by_sla, mql_threshold, fit_threshold,
                            interest_threshold)
    SELECT 1, 'Main model', 0, 1, mql_threshold, fit_threshold, interest_threshold
    FROM scoring_settings WHERE id = 1;
DROP TABLE scoring_settings;

-- The 2x2 of fit and interest: each quadrant's agreed action, and whether its leads count
-- as MQLs once their total reaches the MQL threshold. Until the teams choose, every
-- quadrant counts (the MQL rule is the total alone, as before).
CREATE TABLE scoring_quadrants (
    model_id INTEGER NOT NULL REFERENCES scoring_models (id) ON DELETE CASCADE,
    quadrant TEXT NOT NULL
        CHECK (quadrant IN ('sales_now', 'nurture', 'qualify', 'no_action')),
    action TEXT NOT NULL DEFAULT '',
    counts_as_mql INTEGER NOT NULL DEFAULT 1 CHECK (counts_as_mql IN (0, 1)),
    PRIMARY KEY (model_id, quadrant)
);
INSERT INTO scoring_quadrants (model_id, quadrant, action) VALUES
    (1, 'sales_now', 'Sales follows up within {follow_up_hours} hours.'),
    (1, 'nurture', 'Marketing nurtures the lead until its interest grows.'),
    (1, 'qualify', 'Sales development qualifies or disqualifies the lead.'),
    (1, 'no_action', 'No action.');

-- Buyer personas: the agreed picture of a good-fit buyer, trait by trait, each with what
-- marketing says, what sales says and the agreed wording (as stage definitions have).
CREATE TABLE personas (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE persona_traits (
    id INTEGER PRIMARY KEY,
    persona_id INTEGER NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
    trait TEXT NOT NULL CHECK (trait IN ('role', 'seniority', 'company_size', 'industry',
        'region', 'budget_authority', 'pains', 'disqualifiers')),
    marketing TEXT NOT NULL DEFAULT '',
    sales TEXT NOT NULL DEFAULT '',
    agreed TEXT NOT NULL DEFAULT '',
    agreement TEXT NOT NULL DEFAULT 'open' CHECK (agreement IN ('open', 'agreed', 'disputed')),
    UNIQUE (persona_id, trait)
);

-- Rules belong to a model; two more comparisons (between, is empty); interest points may
-- halve every half_life_days of age (counted from the created date, or the date column
-- dated_by names); a fit rule may name the persona trait it encodes.
CREATE TABLE scoring_rules_0008 (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES scoring_models (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('fit', 'interest')),
    attribute TEXT NOT NULL CHECK (attribute <> ''),
    operator TEXT NOT NULL CHECK (operator IN ('equals', 'not_equals', 'contains', 'in',
        'at_least', 'at_most', 'between', 'is_empty', 'exists')),
    value TEXT NOT NULL DEFAULT '',
    points INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    half_life_days REAL CHECK (half_life_days IS NULL OR half_life_days > 0),
    dated_by TEXT NOT NULL DEFAULT '',
    trait_id INTEGER REFERENCES persona_traits (id) ON DELETE SET NULL
);
INSERT INTO scoring_rules_0008 (id, model_id, position, kind, attribute, operator, value,
                                points, label)
    SELECT id, 1, position, kind, attribute, operator, value, points, label
    FROM scoring_rules;
DROP TABLE scoring_rules;
ALTER TABLE scoring_rules_0008 RENAME TO scoring_rules;
CREATE INDEX scoring_rules_model ON scoring_rules (model_id, position);

-- Sales capacity, entered once: the follow-up effort one MQL takes and the hours reps
-- have for it per month. NULL: not entered (the capacity figures say so, never 0).
CREATE TABLE sales_capacity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hours_per_mql REAL CHECK (hours_per_mql IS NULL OR hours_per_mql > 0),
    rep_hours_per_month REAL CHECK (rep_hours_per_month IS NULL OR rep_hours_per_month >= 0)
);
INSERT INTO sales_capacity (id) VALUES (1);
"""

YEARLY_GOALS = """
-- Marketing's quick, five-step plan for a fiscal year, beside the stage-by-stage plans of
-- its quarters: the year's revenue goal, last year's revenue, customers and leads, and the
-- share of the goal each quarter carries. NULL: not entered yet (shown as "—", never 0).
CREATE TABLE yearly_goals (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    revenue_goal REAL CHECK (revenue_goal IS NULL OR revenue_goal >= 0),
    last_year_revenue REAL CHECK (last_year_revenue IS NULL OR last_year_revenue > 0),
    last_year_customers INTEGER
        CHECK (last_year_customers IS NULL OR last_year_customers > 0),
    last_year_leads INTEGER CHECK (last_year_leads IS NULL OR last_year_leads > 0),
    q1_share REAL NOT NULL DEFAULT 0.25 CHECK (q1_share BETWEEN 0 AND 1),
    q2_share REAL NOT NULL DEFAULT 0.25 CHECK (q2_share BETWEEN 0 AND 1),
    q3_share REAL NOT NULL DEFAULT 0.25 CHECK (q3_share BETWEEN 0 AND 1),
    q4_share REAL NOT NULL DEFAULT 0.25 CHECK (q4_share BETWEEN 0 AND 1)
);
"""

REMOVABLE_IMPORTS = """
-- What an import added, so it can be removed long after (the undo history ends with the
-- session): the first lead id it gave out (the leads it added are those from there up that
-- still carry its batch), and when it was removed with how many leads. NULL first id: an
-- import made before this was recorded, which cannot be told apart from what it updated.
ALTER TABLE import_batches ADD COLUMN first_lead_id INTEGER;
ALTER TABLE import_batches ADD COLUMN removed_at TEXT;
ALTER TABLE import_batches ADD COLUMN removed INTEGER CHECK (removed IS NULL OR removed >= 0);
"""

WORKSHOP = """
-- The workshop's question set, copied from the app's set into the workbook when its
-- workshop starts and editable there. kind: scale (1-5 agreement), choice (one of the JSON
-- list `choices`), number (between low and high, in `unit`), text; evidence: the workbook
-- figure a number is set against ('' none).
CREATE TABLE workshop_questions (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE CHECK (key <> ''),
    position INTEGER NOT NULL,
    area TEXT NOT NULL CHECK (area <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('scale', 'choice', 'number', 'text')),
    text TEXT NOT NULL CHECK (text <> ''),
    choices TEXT NOT NULL DEFAULT '[]',
    unit TEXT NOT NULL DEFAULT '',
    low REAL,
    high REAL,
    evidence TEXT NOT NULL DEFAULT ''
);
-- One participant's answers: a side, anonymous unless a name is given ('').
CREATE TABLE workshop_participants (
    id INTEGER PRIMARY KEY,
    team TEXT NOT NULL CHECK (team IN ('marketing', 'sales')),
    name TEXT NOT NULL DEFAULT '',
    entered TEXT NOT NULL DEFAULT 'typed' CHECK (entered IN ('typed', 'csv'))
);
CREATE TABLE workshop_answers_by_participant (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES workshop_participants (id) ON DELETE CASCADE,
    question_key TEXT NOT NULL CHECK (question_key <> ''),
    answer TEXT NOT NULL CHECK (answer <> ''),
    UNIQUE (participant_id, question_key)
);
-- A file's answers of one per team become one participant per team.
INSERT INTO workshop_participants (team)
    SELECT team FROM workshop_answers WHERE answer <> '' GROUP BY team ORDER BY team;
INSERT INTO workshop_answers_by_participant (participant_id, question_key, answer)
    SELECT p.id, a.question_key, a.answer FROM workshop_answers a
    JOIN workshop_participants p ON p.team = a.team
    WHERE a.answer <> '' ORDER BY a.id;
DROP TABLE workshop_answers;
ALTER TABLE workshop_answers_by_participant RENAME TO workshop_answers;
CREATE INDEX workshop_answers_question ON workshop_answers (question_key);
-- A decision's owner, and what it settles: a stage (by key), an SLA term (by key), a
-- scoring rule (by id) or a workshop question (by key).
ALTER TABLE decisions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN settles_kind TEXT
    CHECK (settles_kind IS NULL OR settles_kind IN ('stage', 'sla_term', 'scoring_rule',
                                                    'question'));
ALTER TABLE decisions ADD COLUMN settles_key TEXT;
"""

ROW_DIGESTS = """
-- A digest of the export row each lead was last imported (or found unchanged) from,
-- with how that import read it: a re-import recognises a row that says the same again
-- without reading it. NULL (leads from before, or not from a CSV): compared in full.
ALTER TABLE leads ADD COLUMN row_digest BLOB;
"""

LEAD_TOPS = """
-- Per sortable column no index orders, the leads whose value is above a floor (see
-- `lead_tops`): the first page of its descending sort without reading every lead.
CREATE TABLE lead_tops (
    sort TEXT NOT NULL,
    lead_id INTEGER NOT NULL,
    PRIMARY KEY (sort, lead_id)
) WITHOUT ROWID;
-- Each list's floor (a value as the column stores it; NULL: any value is above) and its
-- stamp (the lead data it describes).
CREATE TABLE lead_top_lists (
    sort TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    floor
);
"""
