"""Compliance review: import reports into a database, let people confirm or correct findings in a browser.

Why a separate package: the analyser stays a pure function from transcripts to reports; reviewing adds
state (users, decisions, history) that belongs in a database with migrations, and feeds decisions back
as gold data (`exporter`) so the detectors can be measured and retrained on what reviewers said.
"""
