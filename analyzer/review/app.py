"""The review web app (Flask): queue, conversation view, decisions, audit, agreement, metrics, users.

Security model, enforced in one `before_request` hook so no route can forget it: every route except the
login page and static files needs a logged-in user; views declare the roles they allow with
`@requires(...)`; every state-changing request must carry the session's CSRF token (form field or
`X-CSRF-Token` header). The access log records method, route path (never the query string, which can hold
filter text) and status, so no personal data reaches server logs.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from analyzer.model import LANGUAGES, TURN_CATEGORIES
from analyzer.review import auth, service, stats
from analyzer.review.db import (
    ROLES,
    STATUSES,
    AuditEvent,
    Conversation,
    Decision,
    Finding,
    Setting,
    User,
    open_database,
)

ACCESS_LOG = logging.getLogger("analyzer.review.access")
PUBLIC_ENDPOINTS = {"login", "static"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


def create_app(db_url: str, pii_roles: Sequence[str] = auth.DEFAULT_PII_ROLES) -> Flask:
    app = Flask(__name__)
    _engine, factory = open_database(db_url)
    app.config.update(
        SECRET_KEY=_secret_key(factory),
        SESSION_COOKIE_NAME="review_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        PII_ROLES=tuple(pii_roles),
        MAX_CONTENT_LENGTH=1 << 20,
    )
    app.extensions["review_factory"] = factory
    _install_hooks(app, factory)
    _register_pages(app)
    _register_api(app)
    _register_lead_pages(app)
    return app


def _secret_key(factory: sessionmaker) -> str:
    """Kept in the database so sessions survive a restart, and differs per installation."""
    with factory.begin() as db:
        setting = db.get(Setting, "secret_key")
        if setting is None:
            setting = Setting(key="secret_key", value=secrets.token_hex(32))
            db.add(setting)
        return setting.value


def _install_hooks(app: Flask, factory: sessionmaker) -> None:
    @app.before_request
    def guard() -> Any:
        g.started = time.perf_counter()
        g.db = factory()
        g.user = _current_user()
        if request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None:
            if g.user is None:
                if request.path.startswith("/api/"):
                    return _deny(401, "login required")
                return redirect(url_for("login", next=request.path))
            required = getattr(app.view_functions[request.endpoint], "required_roles", None)
            if not auth.allowed(g.user.role, required):
                return _deny(403, "your role may not do this")
        if request.method not in SAFE_METHODS and not auth.csrf_matches(
                session.get("csrf"), request.headers.get("X-CSRF-Token") or request.form.get("csrf_token")):
            return _deny(400, "missing or wrong CSRF token")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        _access_log(response)
        return response

    @app.teardown_request
    def close(_error: BaseException | None) -> None:
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"user": g.get("user"), "csrf_token": _csrf_token(), "categories": TURN_CATEGORIES,
                "is_lead": g.get("user") is not None and g.user.role in auth.LEADS}


def _access_log(response: Response) -> None:
    """Method, path without query string, status, time, user id: nothing a transcript or filter could leak."""
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    user = g.get("user")
    ACCESS_LOG.info("%s %s %s %d %.1fms user=%s", request.remote_addr, request.method, request.path,
                    response.status_code, elapsed, user.id if user else "-")


def _current_user() -> User | None:
    user_id = session.get("uid")
    if user_id is None:
        return None
    user = g.db.get(User, user_id)
    if user is None or not user.active:
        session.clear()
        return None
    return user


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = auth.new_csrf_token()
    return session["csrf"]


def _deny(status: int, message: str) -> Response:
    if request.path.startswith("/api/") or request.is_json:
        return Response(jsonify({"error": message}).get_data(), status=status, mimetype="application/json")
    return Response(render_template("error.html", status=status, message=message), status=status)


def _show_pii() -> bool:
    from flask import current_app

    return g.user is not None and g.user.role in current_app.config["PII_ROLES"]


def _register_pages(app: Flask) -> None:
    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        error = None
        if request.method == "POST":
            name = request.form.get("name", "").strip()
            user = g.db.scalar(select(User).where(User.name == name, User.active.is_(True)))
            if auth.verify_password(user, request.form.get("password", "")):
                return _log_in(user)
            service.audit(g.db, None, "login_failed")
            g.db.commit()
            error = "Wrong name or password."
        return render_template("login.html", error=error, next=request.args.get("next", "")), 401 if error else 200

    @app.route("/logout", methods=["POST"])
    @auth.requires(*ROLES)
    def logout() -> Any:
        service.audit(g.db, g.user, "logout")
        g.db.commit()
        session.clear()
        return redirect(url_for("login"))

    @app.route("/")
    @auth.requires(*ROLES)
    def index() -> Any:
        return redirect(url_for("queue"))

    @app.route("/queue")
    @auth.requires(*ROLES)
    def queue() -> Any:
        filters = service.QueueFilter.from_args(request.args)
        page = service.queue_page(g.db, filters)
        agents = sorted(a for a in g.db.scalars(select(Conversation.agent_id).distinct()) if a)
        return render_template("queue.html", page=page, filters=filters, agents=agents, languages=LANGUAGES,
                               statuses=(*STATUSES, "any"), show_pii=_show_pii(), view=_item_view)

    @app.route("/conversations/<int:pk>")
    @auth.requires(*ROLES)
    def conversation(pk: int) -> Any:
        data = service.conversation_view(g.db, pk)
        if data is None:
            abort(404)
        return render_template("conversation.html", show_pii=_show_pii(), render_turn=_conversation_turn,
                               values=service.pii_values(data["turns"], data["pii"]), mask=service.mask_text,
                               **data)


def _log_in(user: User) -> Any:
    if auth.needs_rehash(user):
        user.password_hash = auth.hash_password(request.form["password"])
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["csrf"] = auth.new_csrf_token()
    service.audit(g.db, user, "login")
    g.db.commit()
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("queue")
    return redirect(target)


def _item_view(item: service.QueueItem, show_pii: bool) -> dict[str, Any]:
    """What the queue template needs for one finding: rendered turns and masked evidence."""
    finding = item.finding
    values = service.pii_values(item.turns, item.pii)
    turns = []
    for turn in item.turns:
        marks = [(finding.start, finding.end, f"hit cat-{finding.category}")] if turn.idx == finding.turn else []
        marks += _sentence_mark(turn, finding) if turn.idx == finding.turn else []
        spans = [s for s in item.pii if s.turn == turn.idx]
        turns.append({"turn": turn, "html": service.render_turn(turn.text, marks, spans, show_pii)})
    evidence = finding.evidence if show_pii else service.mask_text(finding.evidence, values)
    return {"turns": turns, "evidence": evidence}


def _sentence_mark(turn: Any, finding: Finding) -> list[tuple[int, int, str]]:
    import json

    for start, end in json.loads(turn.sentences or "[]"):
        if start <= finding.start < end:
            return [(start, max(end, finding.end), "sentence")]
    return []


def _conversation_turn(turn: Any, findings: list[Finding], pii: list[Any], show_pii: bool) -> Any:
    marks = [(f.start, f.end, f"hit cat-{f.final_category or f.category}" + (" removed" if not f.current else ""))
             for f in findings if f.turn == turn.idx and f.status != "rejected"]
    return service.render_turn(turn.text, marks, [s for s in pii if s.turn == turn.idx], show_pii)


def _register_api(app: Flask) -> None:
    @app.route("/api/findings/<int:finding_id>/decision", methods=["POST"])
    @auth.requires(*ROLES)
    def decide(finding_id: int) -> Any:
        body = request.get_json(silent=True) or {}
        try:
            finding = service.decide(g.db, finding_id, g.user, str(body.get("action", "")), body.get("category"),
                                     body.get("comment"))
        except service.ReviewError as error:
            return jsonify({"error": str(error)}), 400
        g.db.commit()
        return jsonify(_finding_json(finding))

    @app.route("/api/conversations/<int:pk>/findings", methods=["POST"])
    @auth.requires(*ROLES)
    def add_finding(pk: int) -> Any:
        body = request.get_json(silent=True) or {}
        try:
            finding = service.add_missed(g.db, pk, int(body.get("turn", -1)), str(body.get("category", "")),
                                         g.user, str(body.get("text") or ""), body.get("comment"))
        except (service.ReviewError, ValueError) as error:
            return jsonify({"error": str(error)}), 400
        g.db.commit()
        return jsonify(_finding_json(finding)), 201


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {"id": finding.id, "status": finding.status, "category": finding.category,
            "final_category": finding.final_category, "decisions": finding.decisions_count,
            "reviewer": g.user.name, "source": finding.source}


def _register_lead_pages(app: Flask) -> None:
    @app.route("/audit")
    @auth.requires(*auth.LEADS)
    def audit_log() -> Any:
        page = max(0, request.args.get("page", 0, type=int))
        decisions = g.db.execute(
            select(Decision, User.name, Finding, Conversation.conversation_id)
            .join(User, User.id == Decision.user_id).join(Finding, Finding.id == Decision.finding_id)
            .join(Conversation, Conversation.id == Finding.conversation_pk)
            .order_by(Decision.id.desc()).offset(page * 100).limit(100)).all()
        events = g.db.execute(select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.user_id)
                              .order_by(AuditEvent.id.desc()).offset(page * 100).limit(100)).all()
        return render_template("audit.html", decisions=decisions, events=events, page=page)

    @app.route("/agreement")
    @auth.requires(*auth.LEADS)
    def agreement() -> Any:
        return render_template("agreement.html", rows=stats.agreement(g.db))

    @app.route("/metrics")
    @auth.requires(*auth.LEADS)
    def metrics() -> Any:
        tables = {by: stats.precision_table(g.db, by) for by in ("category", "language", "both")}
        return render_template("metrics.html", tables=tables)

    @app.route("/export.jsonl")
    @auth.requires(*auth.LEADS)
    def export() -> Any:
        import io

        from analyzer.review.exporter import write_jsonl

        buffer = io.StringIO()
        count = write_jsonl(g.db, buffer)
        service.audit(g.db, g.user, "export", detail=f"conversations={count}")
        g.db.commit()
        return Response(buffer.getvalue(), mimetype="application/x-ndjson",
                        headers={"Content-Disposition": "attachment; filename=decisions.jsonl"})

    @app.route("/users", methods=["GET", "POST"])
    @auth.requires(*auth.ADMINS)
    def users() -> Any:
        message = None
        if request.method == "POST":
            message = _create_user_from_form()
        listing = list(g.db.scalars(select(User).order_by(User.name)))
        return render_template("users.html", users=listing, roles=ROLES, message=message)


def _create_user_from_form() -> str:
    name = request.form.get("name", "").strip()
    try:
        create_user(g.db, name, request.form.get("role", ""), request.form.get("password", ""), g.user)
    except ValueError as error:
        g.db.rollback()
        return str(error)
    g.db.commit()
    return f"User {name} created."


def create_user(db: Any, name: str, role: str, password: str, by: User | None = None) -> User:
    """Shared by the admin page and `analyzer review adduser`."""
    if not name or len(name) > 80:
        raise ValueError("a user name of 1 to 80 characters is needed")
    if db.scalar(select(User).where(User.name == name)) is not None:
        raise ValueError(f"user {name} already exists")
    user = User(name=name, role=auth.check_role(role), password_hash=auth.hash_password(password), active=True)
    db.add(user)
    db.flush()
    service.audit(db, by, "adduser", target=name, detail=f"role={role}")
    return user
