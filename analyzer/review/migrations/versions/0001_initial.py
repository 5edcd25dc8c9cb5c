"""Initial review schema: users, conversations, report versions, turns, PII, findings, decisions, audit.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("decisions", "audit_events")
# Frozen copy of db.FINDING_INDEXES as of this revision: later index changes need a new revision.
FINDING_INDEXES: dict[str, tuple[str, ...]] = {
    "ix_findings_queue": ("status", "current", "risk", "confidence", "id"),
    "ix_findings_any_status": ("current", "risk", "confidence", "id"),
    "ix_findings_by_confidence": ("status", "current", "confidence", "id"),
    "ix_findings_recent": ("status", "recorded_at", "id"),
    "ix_findings_category": ("category", "status", "current", "risk", "confidence", "id"),
    "ix_findings_counts": ("status", "current", "category", "language", "agent_id", "recorded_at", "confidence"),
    "ix_findings_conversation": ("conversation_pk", "turn"),
    "ix_findings_agent": ("agent_id", "status", "current", "risk"),
    "ix_findings_language": ("language", "status", "current", "risk"),
}


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _ts("created_at"),
    )
    op.create_table("settings", sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, unique=True),
        sa.Column("channel", sa.String(16)),
        sa.Column("languages", sa.String(64), nullable=False),
        sa.Column("agent_id", sa.String(128)),
        _ts("recorded_at", nullable=True),
        sa.Column("risk_score", sa.Integer, nullable=False),
        sa.Column("current_report_id", sa.Integer),
        _ts("imported_at"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_pk", sa.Integer, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source_path", sa.String(1024)),
        sa.Column("data", sa.Text, nullable=False),
        _ts("imported_at"),
    )
    op.create_index("ix_reports_conversation_pk", "reports", ["conversation_pk"])
    _create_transcript_tables()
    _create_review_tables()
    _append_only_triggers()


def _create_transcript_tables() -> None:
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("speaker", sa.String(255)),
        sa.Column("role", sa.String(16)),
        sa.Column("language", sa.String(8)),
        sa.Column("start", sa.Float),
        sa.Column("end", sa.Float),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sentences", sa.Text, nullable=False),
        sa.UniqueConstraint("report_id", "idx", name="uq_turns_report_idx"),
    )
    op.create_table(
        "pii_spans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
    )
    op.create_index("ix_pii_spans_report_id", "pii_spans", ["report_id"])


def _create_review_tables() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_pk", sa.Integer, sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("language", sa.String(8)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("detector", sa.String(64)),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("change", sa.String(16)),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("final_category", sa.String(32)),
        sa.Column("decisions_count", sa.Integer, nullable=False),
        sa.Column("risk", sa.Integer, nullable=False),
        sa.Column("agent_id", sa.String(128)),
        _ts("recorded_at", nullable=True),
        _ts("created_at"),
    )
    for name, columns in FINDING_INDEXES.items():
        op.create_index(name, "findings", list(columns))
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32)),
        sa.Column("comment", sa.Text),
        _ts("created_at"),
    )
    for column in ("finding_id", "user_id", "created_at"):
        op.create_index(f"ix_decisions_{column}", "decisions", [column])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(255)),
        sa.Column("detail", sa.Text),
        _ts("created_at"),
    )
    op.create_index("ix_audit_events_created_at", "audit_events", ["created_at"])


def _append_only_triggers() -> None:
    """History must not be rewritten, not even by a bug: the database refuses UPDATE and DELETE."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION review_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION review_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS review_append_only()")
    for table in ("audit_events", "decisions", "findings", "pii_spans", "turns", "reports", "conversations",
                  "settings", "users"):
        op.drop_table(table)
