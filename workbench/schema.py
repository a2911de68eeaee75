"""The workbook's schema, defined only by numbered migrations.

`PRAGMA user_version` holds the number of migrations applied and `PRAGMA application_id`
marks the file as ours, so another SQLite file is recognised as "not a workbook".
Add a migration at the end; never edit one that has shipped. The SQL of the later ones
lives in `schema_sql`.
"""

from __future__ import annotations

import sqlite3

from . import schema_sql
from .sqlite import Database, NumberedMigrations

APPLICATION_ID = 0x41574231  # "AWB1"
MIGRATIONS = NumberedMigrations("alignment_workbench")

_SCHEMA_1 = """
CREATE TABLE properties (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    company_name TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT 'USD',
    fiscal_year_start_month INTEGER NOT NULL DEFAULT 1
        CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    template TEXT NOT NULL DEFAULT 'blank',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    logo BLOB
);
INSERT INTO properties (id) VALUES (1);

CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    key TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name TEXT NOT NULL CHECK (name <> ''),
    owner TEXT CHECK (owner IN ('marketing', 'sales', 'shared')),
    definition TEXT NOT NULL DEFAULT '',
    entry_criteria TEXT NOT NULL DEFAULT '',
    exit_criteria TEXT NOT NULL DEFAULT '',
    max_hours REAL CHECK (max_hours IS NULL OR max_hours >= 0),
    target_conversion REAL,
    agreement TEXT NOT NULL DEFAULT 'open' CHECK (agreement IN ('open', 'agreed', 'disputed')),
    probability REAL CHECK (probability IS NULL OR probability BETWEEN 0 AND 1)
);
CREATE INDEX stages_position ON stages (position);

CREATE TABLE stage_proposals (
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    team TEXT NOT NULL CHECK (team IN ('marketing', 'sales')),
    text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (stage_id, team)
);

CREATE TABLE stage_aliases (
    id INTEGER PRIMARY KEY,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    crm TEXT NOT NULL DEFAULT '',
    alias TEXT NOT NULL CHECK (alias <> ''),
    UNIQUE (crm, alias)
);

CREATE TABLE stage_recycles (
    id INTEGER PRIMARY KEY,
    from_stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    to_stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    UNIQUE (from_stage_id, to_stage_id)
);

CREATE TABLE scoring_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mql_threshold INTEGER NOT NULL DEFAULT 60,
    fit_threshold INTEGER NOT NULL DEFAULT 30,
    interest_threshold INTEGER NOT NULL DEFAULT 30
);
INSERT INTO scoring_settings (id) VALUES (1);

CREATE TABLE scoring_rules (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('fit', 'interest')),
    attribute TEXT NOT NULL CHECK (attribute <> ''),
    operator TEXT NOT NULL CHECK (operator IN
        ('equals', 'not_equals', 'contains', 'in', 'at_least', 'at_most', 'exists')),
    value TEXT NOT NULL DEFAULT '',
    points INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
    name TEXT PRIMARY KEY CHECK (name <> ''),
    sourced_by TEXT NOT NULL DEFAULT 'marketing'
        CHECK (sourced_by IN ('marketing', 'sales', 'partner', 'other'))
);

CREATE TABLE quarters (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL CHECK (end_date > start_date)
);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> ''),
    revenue_goal REAL CHECK (revenue_goal IS NULL OR revenue_goal >= 0),
    avg_deal_size REAL CHECK (avg_deal_size IS NULL OR avg_deal_size > 0),
    committed INTEGER NOT NULL DEFAULT 0 CHECK (committed IN (0, 1)),
    UNIQUE (quarter_id, name)
);
CREATE UNIQUE INDEX plans_one_committed ON plans (quarter_id) WHERE committed = 1;

CREATE TABLE plan_conversions (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    conversion REAL NOT NULL,
    PRIMARY KEY (plan_id, stage_id)
);

CREATE TABLE plan_source_mix (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    share REAL NOT NULL CHECK (share BETWEEN 0 AND 1),
    PRIMARY KEY (plan_id, source)
);

CREATE TABLE actuals (
    quarter_id INTEGER NOT NULL REFERENCES quarters (id) ON DELETE CASCADE,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    source TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL CHECK (count >= 0),
    value REAL NOT NULL DEFAULT 0 CHECK (value >= 0),
    PRIMARY KEY (quarter_id, stage_id, source)
);

CREATE TABLE disposition_codes (
    code TEXT PRIMARY KEY CHECK (code <> ''),
    label TEXT NOT NULL,
    meaning TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    campaign TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    employees INTEGER,
    score REAL,
    first_touch_at TEXT,
    attempts INTEGER,
    disposition TEXT,
    owner TEXT NOT NULL DEFAULT '',
    amount REAL CHECK (amount IS NULL OR amount >= 0),
    won_at TEXT,
    lost_at TEXT,
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX leads_created ON leads (created_at);
CREATE INDEX leads_source ON leads (source);

CREATE TABLE lead_stage_dates (
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    stage_id INTEGER NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    reached_at TEXT NOT NULL,
    PRIMARY KEY (lead_id, stage_id)
) WITHOUT ROWID;
CREATE INDEX lead_stage_dates_stage ON lead_stage_dates (stage_id, reached_at);

CREATE TABLE import_mappings (
    name TEXT PRIMARY KEY,
    mapping TEXT NOT NULL
);

CREATE TABLE sla_versions (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed', 'superseded')),
    title TEXT NOT NULL DEFAULT 'Marketing and Sales Service Level Agreement',
    effective_from TEXT,
    effective_to TEXT,
    review_cadence TEXT NOT NULL DEFAULT 'quarterly',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    signed_at TEXT,
    amends_id INTEGER REFERENCES sla_versions (id)
);

CREATE TABLE sla_terms (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES sla_versions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sla_signatories (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES sla_versions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (name <> ''),
    title TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    signed_at TEXT,
    certificate_sha256 TEXT
);

-- A signed or superseded version is frozen: enforced here, not only in the UI.
CREATE TRIGGER sla_version_frozen BEFORE UPDATE ON sla_versions
WHEN OLD.status <> 'draft' AND NOT (
    OLD.status = 'signed' AND NEW.status = 'superseded'
    AND NEW.number = OLD.number AND NEW.title = OLD.title
    AND NEW.effective_from IS OLD.effective_from AND NEW.effective_to IS OLD.effective_to
    AND NEW.review_cadence = OLD.review_cadence AND NEW.signed_at IS OLD.signed_at
)
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_version_no_delete BEFORE DELETE ON sla_versions
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_terms_frozen_insert BEFORE INSERT ON sla_terms
WHEN (SELECT status FROM sla_versions WHERE id = NEW.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_terms_frozen_update BEFORE UPDATE ON sla_terms
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_terms_frozen_delete BEFORE DELETE ON sla_terms
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_signatories_frozen_insert BEFORE INSERT ON sla_signatories
WHEN (SELECT status FROM sla_versions WHERE id = NEW.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_signatories_frozen_update BEFORE UPDATE ON sla_signatories
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_signatories_frozen_delete BEFORE DELETE ON sla_signatories
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;

CREATE TABLE workshop_answers (
    id INTEGER PRIMARY KEY,
    question_key TEXT NOT NULL,
    team TEXT NOT NULL CHECK (team IN ('marketing', 'sales')),
    answer TEXT NOT NULL DEFAULT '',
    UNIQUE (question_key, team)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    text TEXT NOT NULL CHECK (text <> ''),
    decided_by TEXT NOT NULL DEFAULT ''
);

-- History both teams can read: when, which step, what, old -> new. Never undone.
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    step TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    old TEXT,
    new TEXT
);
CREATE INDEX change_log_at ON change_log (at);
"""


@MIGRATIONS(name="0001_domain")
def _m0001_domain(db: Database) -> None:
    run_script(db, _SCHEMA_1)


def run_script(db: Database, script: str) -> None:
    """Run several statements inside the caller's transaction.

    `executescript` would commit first, so a failing migration could leave half a schema.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


_SCHEMA_SLA = """
-- Structured values of an SLA version's essential terms (attempts, days, rule texts).
CREATE TABLE sla_parameters (
    version_id INTEGER NOT NULL REFERENCES sla_versions (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> ''),
    value TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, name)
);
CREATE TRIGGER sla_parameters_frozen_insert BEFORE INSERT ON sla_parameters
WHEN (SELECT status FROM sla_versions WHERE id = NEW.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_parameters_frozen_update BEFORE UPDATE ON sla_parameters
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_parameters_frozen_delete BEFORE DELETE ON sla_parameters
WHEN (SELECT status FROM sla_versions WHERE id = OLD.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;

-- The signed PDF and the terms as signed: written once, with the last signature.
CREATE TABLE sla_documents (
    version_id INTEGER PRIMARY KEY REFERENCES sla_versions (id),
    terms_json TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    pdf BLOB NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE TRIGGER sla_documents_frozen_update BEFORE UPDATE ON sla_documents
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;
CREATE TRIGGER sla_documents_frozen_delete BEFORE DELETE ON sla_documents
BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END;

-- Public certificates only: the workbook's own authority and its signers. Private keys
-- live in password-protected PKCS#12 files in the user's data folder, never here.
CREATE TABLE sla_certificates (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('authority', 'signer')),
    subject TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    not_after TEXT NOT NULL,
    certificate BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX sla_certificates_one_authority ON sla_certificates (kind)
WHERE kind = 'authority';
"""


@MIGRATIONS(name="0002_sla")
def _m0002_sla(db: Database) -> None:
    run_script(db, _SCHEMA_SLA)


_SCHEMA_IMPORTS = """
-- One row per lead import, so its leads can be told apart and the import undone.
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    file TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '{}',
    added INTEGER NOT NULL DEFAULT 0 CHECK (added >= 0),
    updated INTEGER NOT NULL DEFAULT 0 CHECK (updated >= 0),
    skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0)
);
ALTER TABLE leads ADD COLUMN import_batch INTEGER;

-- Monthly summaries of the leads for the closed-loop numbers: a cache, rebuilt from the
-- leads whenever its stamp no longer matches them (see workbench/imports/summaries.py).
CREATE TABLE lead_summary_cells (
    month TEXT NOT NULL,
    stage_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    measure TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (month, stage_id, source, measure)
) WITHOUT ROWID;
CREATE TABLE lead_summary_hours (
    month TEXT NOT NULL,
    stage_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('in_stage', 'to_touch')),
    hours BLOB NOT NULL,
    PRIMARY KEY (month, stage_id, source, kind)
) WITHOUT ROWID;
CREATE TABLE lead_summary_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    signature TEXT NOT NULL
);
"""


@MIGRATIONS(name="0003_imports")
def _m0003_imports(db: Database) -> None:
    run_script(db, _SCHEMA_IMPORTS)


_SCHEMA_IMPORT_UNCHANGED = """
-- How many leads an import found exactly as the workbook had them (and left alone).
ALTER TABLE import_batches ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0
    CHECK (unchanged >= 0);
"""


@MIGRATIONS(name="0004_import_unchanged")
def _m0004_import_unchanged(db: Database) -> None:
    run_script(db, _SCHEMA_IMPORT_UNCHANGED)


_SCHEMA_IMPLICIT_ENTRY = """
-- The stage an import's leads entered the funnel at, each on the day it was created, when
-- the import left that date implicit: its leads store no row for that stage (a million
-- rows that would only repeat created_at). NULL: its leads store all their stage dates.
ALTER TABLE import_batches ADD COLUMN entry_stage_id INTEGER
    REFERENCES stages (id) ON DELETE SET NULL;

-- Every stage each lead reached, and when: the stored dates, and the implicit entry dates
-- (a lead never has both for one stage). Read it by lead id; `workbench.reached` says
-- how to ask which leads reached a stage.
CREATE VIEW lead_stage_reached (lead_id, stage_id, reached_at) AS
    SELECT lead_id, stage_id, reached_at FROM lead_stage_dates
    UNION ALL
    SELECT l.id, b.entry_stage_id, l.created_at
    FROM leads l JOIN import_batches b ON b.id = l.import_batch
    WHERE b.entry_stage_id IS NOT NULL;
"""


@MIGRATIONS(name="0005_implicit_entry")
def _m0005_implicit_entry(db: Database) -> None:
    run_script(db, _SCHEMA_IMPLICIT_ENTRY)


_SCHEMA_SIGNED_TRUST = """
-- The workbook authority's certificate revocation list (DER): signed PDFs embed it with
-- the chain, so they validate offline for as long as the agreement matters.
CREATE TABLE sla_revocation_lists (
    issuer_sha256 TEXT PRIMARY KEY REFERENCES sla_certificates (sha256) ON DELETE CASCADE,
    crl BLOB NOT NULL,
    next_update TEXT NOT NULL
);

-- The SHA-256 of the signed PDF as it was recorded: a stored PDF whose bytes no longer
-- match is never handed out.
ALTER TABLE sla_documents ADD COLUMN pdf_sha256 TEXT;
"""


@MIGRATIONS(name="0006_signed_trust")
def _m0006_signed_trust(db: Database) -> None:
    import hashlib

    run_script(db, _SCHEMA_SIGNED_TRUST)
    # Files signed before this version: their hash is taken now, as stored.
    rows = db.conn.execute("SELECT version_id, pdf FROM sla_documents").fetchall()
    if rows:
        db.conn.execute("DROP TRIGGER sla_documents_frozen_update")
        db.conn.executemany("UPDATE sla_documents SET pdf_sha256 = ? WHERE version_id = ?",
                            [(hashlib.sha256(bytes(pdf)).hexdigest(), vid) for vid, pdf in rows])
        db.conn.execute(
            "CREATE TRIGGER sla_documents_frozen_update BEFORE UPDATE ON sla_documents "
            "BEGIN SELECT RAISE(ABORT, 'a signed SLA version cannot be changed'); END")


@MIGRATIONS(name="0007_absent_values")
def _m0007_absent_values(db: Database) -> None:
    run_script(db, schema_sql.ABSENT_VALUES)


@MIGRATIONS(name="0008_scoring_models")
def _m0008_scoring_models(db: Database) -> None:
    run_script(db, schema_sql.SCORING_MODELS)


@MIGRATIONS(name="0009_yearly_goals")
def _m0009_yearly_goals(db: Database) -> None:
    run_script(db, schema_sql.YEARLY_GOALS)


@MIGRATIONS(name="0010_removable_imports")
def _m0010_removable_imports(db: Database) -> None:
    run_script(db, schema_sql.REMOVABLE_IMPORTS)


@MIGRATIONS(name="0011_workshop")
def _m0011_workshop(db: Database) -> None:
    run_script(db, schema_sql.WORKSHOP)


@MIGRATIONS(name="0012_row_digests")
def _m0012_row_digests(db: Database) -> None:
    run_script(db, schema_sql.ROW_DIGESTS)


@MIGRATIONS(name="0013_lead_tops")
def _m0013_lead_tops(db: Database) -> None:
    run_script(db, schema_sql.LEAD_TOPS)


SCHEMA_VERSION = len(MIGRATIONS.names)

# Tables whose rows the undo history tracks; the change log and bookkeeping are not.
UNDOABLE_TABLES = (
    "properties", "stages", "stage_proposals", "stage_aliases", "stage_recycles",
    "scoring_rules", "sources", "quarters", "plans", "plan_conversions",
    "plan_source_mix", "actuals", "disposition_codes", "leads", "lead_stage_dates",
    "import_mappings", "sla_versions", "sla_terms", "sla_signatories", "workshop_answers",
    "decisions", "sla_parameters", "sla_certificates", "import_batches",
    "sla_revocation_lists", "import_attributes", "scoring_models", "scoring_quadrants",
    "personas", "persona_traits", "sales_capacity", "yearly_goals", "workshop_questions",
    "workshop_participants", "lead_tops", "lead_top_lists",
)
