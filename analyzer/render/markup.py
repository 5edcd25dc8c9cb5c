"""Turn text as HTML: findings highlighted, personal data masked, offsets kept exact.

Findings and PII spans can nest or cross (a pressure sentence containing a
phone number, flattery and pressure on overlapping clauses). HTML elements
must nest, so spans are laid out as a tree: a span crossing the end of an
enclosing one is split into parts that carry the same `data-finding` id,
and the parts' texts joined give back exactly `text[start:end]`. A masked
PII span is atomic (its value is replaced by `[TYPE]`), so finding
boundaries that fall inside one are moved to its edges rather than leaking
half a phone number.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

# Order among spans starting together: the longer one encloses; at equal length a finding encloses PII.
_KIND_ORDER = {"finding": 0, "pii": 1}


@dataclass(order=True)
class _Span:
    start: int
    neg_end: int
    order: int
    seq: int
    kind: str = field(compare=False)
    attrs: Mapping[str, Any] = field(compare=False)
    part: int = field(default=0, compare=False)

    @property
    def end(self) -> int:
        return -self.neg_end


@dataclass
class _Node:
    span: _Span | None
    children: list[_Node] = field(default_factory=list)


def pii_spans_for_turn(pii: Iterable[Mapping[str, Any]], turn: int, length: int) -> list[tuple[int, int, str]]:
    """The turn's PII spans, clamped to its text, sorted, overlaps dropped (the first, longest one wins)."""
    spans = sorted(((max(0, int(s["start"])), min(length, int(s["end"])), str(s["type"]))
                    for s in pii if s.get("turn") == turn), key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if end > start and (not kept or start >= kept[-1][1]):
            kept.append((start, end, kind))
    return kept


def mask_text(text: str, spans: Sequence[tuple[int, int, str]], offset: int = 0) -> str:
    """`text` (which starts at `offset` in its turn) with every PII span inside it replaced by `[TYPE]`."""
    out, cursor = [], 0
    for start, end, kind in spans:
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if end <= cursor or start >= len(text) or end <= start:
            continue
        out.append(text[cursor:start])
        out.append(f"[{kind}]")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def snap_out_of_pii(start: int, end: int, spans: Sequence[tuple[int, int, str]]) -> tuple[int, int]:
    """Widen [start, end) so that it never cuts a PII span in two."""
    for p_start, p_end, _ in spans:
        if p_start < start < p_end:
            start = p_start
        if p_start < end < p_end:
            end = p_end
    return start, end


def turn_html(text: str, findings: Sequence[tuple[int, Mapping[str, Any]]],
              pii: Sequence[tuple[int, int, str]], *, show_pii: bool) -> Markup:
    """The turn's text as safe HTML with `<mark>` per finding (keyed by its index) and PII masked or underlined."""
    queue: list[_Span] = []
    for seq, (index, finding) in enumerate(findings):
        start, end = max(0, int(finding["start"])), min(len(text), int(finding["end"]))
        if not show_pii:
            start, end = snap_out_of_pii(start, end, pii)
        if end > start:
            attrs = {"index": index, "category": finding["category"], "confidence": finding.get("confidence")}
            queue.append(_Span(start, -end, _KIND_ORDER["finding"], seq, "finding", attrs))
    for seq, (start, end, kind) in enumerate(pii, start=len(queue)):
        queue.append(_Span(start, -end, _KIND_ORDER["pii"], seq, "pii", {"type": kind}))
    return _render(text, _tree(queue), show_pii)


def _tree(queue: list[_Span]) -> _Node:
    """Nest spans; a span crossing its enclosing span's end is split there and the rest re-queued."""
    heapq.heapify(queue)
    root = _Node(None)
    stack: list[_Node] = [root]
    while queue:
        span = heapq.heappop(queue)
        while len(stack) > 1 and stack[-1].span.end <= span.start:  # type: ignore[union-attr]
            stack.pop()
        parent = stack[-1]
        if parent.span is not None and span.end > parent.span.end:
            rest = _Span(parent.span.end, span.neg_end, span.order, span.seq, span.kind, span.attrs, span.part + 1)
            heapq.heappush(queue, rest)
            span = _Span(span.start, -parent.span.end, span.order, span.seq, span.kind, span.attrs, span.part)
        node = _Node(span)
        parent.children.append(node)
        stack.append(node)
    return root


def _render(text: str, node: _Node, show_pii: bool) -> Markup:
    span = node.span
    start, end = (0, len(text)) if span is None else (span.start, span.end)
    if span is not None and span.kind == "pii" and not show_pii:
        return Markup('<span class="pii masked" data-pii-type="{0}">[{0}]</span>').format(span.attrs["type"])
    inner, cursor = [], start
    for child in node.children:
        assert child.span is not None
        inner.append(escape(text[cursor:child.span.start]))
        inner.append(_render(text, child, show_pii))
        cursor = child.span.end
    inner.append(escape(text[cursor:end]))
    body = Markup("").join(inner)
    if span is None:
        return body
    if span.kind == "pii":
        return Markup('<span class="pii shown" data-pii-type="{0}">{1}</span>').format(span.attrs["type"], body)
    return _finding_mark(span, body)


def _finding_mark(span: _Span, body: Markup) -> Markup:
    attrs = span.attrs
    confidence = attrs.get("confidence")
    title = f"{attrs['category']}" + (f" {float(confidence):.2f}" if confidence is not None else "")
    anchor = Markup(' id="mark-{0}"').format(attrs["index"]) if span.part == 0 else Markup("")
    return Markup(
        '<mark class="finding cat-{cat}"{anchor} data-finding="{idx}" data-part="{part}" data-category="{cat}" '
        'title="{title}">{body}</mark>'
    ).format(cat=attrs["category"], anchor=anchor, idx=attrs["index"], part=span.part, title=title, body=body)
