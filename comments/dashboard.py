"""The moderators' dashboard on the admin index, read from the status history in three queries.

Comments per day by outcome over the last 90 days (a stacked bar chart drawn as inline SVG by
``admin/comments/dashboard.html``, with a table for those who do not see it), the spam caught by
each rule, and the median time a held comment waited for a moderator's decision.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatusChange
from comments.reasons import texts as reason_texts

Status = Comment.Status
DAYS = 90
# What a change of status to each of these means on the chart, bottom to top.
OUTCOMES = [
    (Status.APPROVED, "approved"),
    (Status.PENDING, "held"),
    (Status.SPAM, "spam"),
    (Status.TRASH, "trash"),
]
CHART_HEIGHT = 120
BAR_WIDTH = 6


@dataclass
class Bar:
    x: int
    day: date
    segments: list[tuple[str, int, int]] = field(default_factory=list)  # (outcome, y, height)


@dataclass
class Glance:
    days: list[tuple[date, dict[str, int]]]
    bars: list[Bar]
    most: int
    spam_by_rule: list[tuple[str, int]]
    median_wait: timedelta | None
    outcomes: list[str]
    width: int = DAYS * BAR_WIDTH
    height: int = CHART_HEIGHT


def _per_day(start: datetime) -> dict[date, Counter]:
    rows = (
        CommentStatusChange.objects.filter(at__gte=start)
        .annotate(day=TruncDate("at"))
        .values_list("day", "new_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    days: dict[date, Counter] = defaultdict(Counter)
    for day, status, count in rows:
        days[day][status] += count
    return days


def _spam_by_rule(start: datetime) -> list[tuple[str, int]]:
    """Count the spam by the rule that caught it: the reasons of a new comment's history row.

    Each reason in the reader's language; a note older versions wrote, split into its reasons.
    """
    rows = (
        CommentStatusChange.objects.filter(at__gte=start, new_status=Status.SPAM)
        .values_list("old_status", "by_id", "reasons", "note")
        .annotate(count=Count("pk"))
        .order_by()
    )
    rules: Counter = Counter()
    for old, by_id, reasons, note, count in rows:
        if old or by_id:
            rules[_("marked by a moderator") if by_id else _("the site, later")] += count
            continue
        for reason in [*reason_texts(reasons), *filter(None, note.split("; "))]:
            rules[reason] += count
    return rules.most_common()


def _median_wait(start: datetime) -> timedelta | None:
    """Return the median time from being held to a moderator's first decision."""
    held = CommentStatusChange.objects.filter(at__gte=start, new_status=Status.PENDING)
    rows = (
        CommentStatusChange.objects.filter(at__gte=start, comment__in=held.values("comment_id"))
        .order_by("comment_id", "at", "pk")
        .values_list("comment_id", "at", "new_status", "by_id")
    )
    held_at: dict[int, datetime] = {}
    decided: set[int] = set()
    waits = []
    for comment_id, at, status, by_id in rows:
        if comment_id in decided:
            continue
        if comment_id not in held_at:
            if status == Status.PENDING:
                held_at[comment_id] = at
        elif by_id is not None:
            waits.append((at - held_at[comment_id]).total_seconds())
            decided.add(comment_id)
    waits = [wait for wait in waits if wait >= 0]
    return timedelta(seconds=statistics.median(waits)) if waits else None


def at_a_glance(*, today: date, start: datetime) -> Glance:
    """Return the dashboard of the ``DAYS`` days up to ``today`` (``start``: their first moment)."""
    per_day = _per_day(start)
    days = [today - timedelta(days=DAYS - 1 - offset) for offset in range(DAYS)]
    rows = [(day, {name: per_day[day][status] for status, name in OUTCOMES}) for day in days]
    most = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    bars = []
    for index, (day, counts) in enumerate(rows):
        bar, top = Bar(x=index * BAR_WIDTH, day=day), CHART_HEIGHT
        for _status, name in OUTCOMES:
            height = round(counts[name] * CHART_HEIGHT / most)
            if height:
                top -= height
                bar.segments.append((name, top, height))
        bars.append(bar)
    return Glance(
        days=[(day, counts) for day, counts in rows if any(counts.values())],
        bars=bars,
        most=most if any(sum(c.values()) for _, c in rows) else 0,
        spam_by_rule=_spam_by_rule(start),
        median_wait=_median_wait(start),
        outcomes=[name for _, name in OUTCOMES],
    )
