"""Simulated clients answering through their links, and the checks of what they got."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field

from load.database import Link
from load.http import Form, Http, addresses, changed, choose_answers, form_body, parse_form
from load.settings import ENDINGS, P_DOUBLE_OPEN, P_DOUBLE_SUBMIT, P_NO_READ, P_PARTIAL


@dataclass
class Outcome:
    """What one client sent and saw through its link."""

    link: Link
    sent: list[dict[str, str]] = field(default_factory=list)  # every complete POST body
    statuses: list[int] = field(default_factory=list)
    done: bool = False  # saw the thanks page, or the "already used" page on a retry
    partial_cuts: list[int] = field(default_factory=list)
    partial_answers: list[int] = field(default_factory=list)  # statuses seen (half-close)


class Crowd:
    """Clients answering their links, with the faults a phone network produces."""

    def __init__(self, http: Http, seed: int, *, faults: bool):
        self.http, self.faults = http, faults
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible fault schedule
        self.addresses = addresses()
        self.hold: asyncio.Event | None = None  # when set up: every first POST waits for it
        self.holding = 0
        self.endings = itertools.cycle(ENDINGS)  # each way of dropping, in turn

    async def answer(self, link: Link, attempts: int = 6) -> Outcome:
        outcome = Outcome(link)
        rng = random.Random(self.rng.random())  # noqa: S311 - per-client schedule
        address = next(self.addresses)
        async with self.http.session(address) as session:
            for attempt in range(attempts):
                if attempt:
                    await asyncio.sleep(0.5)  # a person pressing reload; workers respawn
                if await self._attempt(session, address, link, outcome, rng, attempt == 0):
                    outcome.done = True
                    break
        return outcome

    async def _attempt(self, session, address: str, link: Link, outcome: Outcome,
                       rng: random.Random, first: bool) -> bool:
        opens = 2 if first and rng.random() < P_DOUBLE_OPEN else 1
        pages = await asyncio.gather(*(self.http.request(session, "GET", link.path)
                                       for _ in range(opens)))
        outcome.statuses += [page.status for page in pages]
        if any(page.status == 410 for page in pages):
            return bool(outcome.sent)  # used: by one of our own earlier submits
        form = next(filter(None, map(parse_form, pages)), None)
        if form is None:
            return False
        answers = outcome.sent[-1] if outcome.sent else choose_answers(form, rng)
        if first and self.faults:
            await self._drop_connections(address, link, form, answers, outcome, rng)
        variants = [answers]
        if first and rng.random() < P_DOUBLE_SUBMIT:
            variants.append(changed(answers, form, rng) if rng.random() < 0.5 else answers)
        outcome.sent += variants
        if first and self.hold is not None:
            self.holding += 1
            await self.hold.wait()
        replies = await asyncio.gather(*(
            self.http.request(session, "POST", link.path, cookie=form.cookie,
                              body=form_body(form, variant)) for variant in variants))
        outcome.statuses += [reply.status for reply in replies]
        return any(reply.thanks for reply in replies)

    async def _drop_connections(self, address: str, link: Link, form: Form,
                                answers: dict[str, str], outcome: Outcome,
                                rng: random.Random) -> None:
        body = form_body(form, answers)
        if rng.random() < P_PARTIAL:
            # Half the cuts fall among the answers, after the fields that make a form valid.
            answers_start = len(form_body(form, {})) - len("&action=submit")
            cut = rng.randrange(answers_start if rng.random() < 0.5 else 1, len(body))
            outcome.partial_cuts.append(cut)
            status = await self.http.raw_post(address, link.path, form.cookie, body, cut=cut,
                                              ending=next(self.endings))
            if status is not None:
                outcome.partial_answers.append(status)
        if rng.random() < P_NO_READ:
            outcome.sent.append(answers)
            await self.http.raw_post(address, link.path, form.cookie, body, cut=None,
                                     ending="close")


def check_outcomes(stored: list[dict], outcomes: list[Outcome], *, per_client: bool) -> dict:
    """Exactly one completed administration per client (or per link, when clients have
    several), holding every answer of one of the submissions sent whole, with its scores."""
    key = "client_id" if per_client else "link_id"
    groups: dict[int | None, list[dict]] = {}
    for row in stored:
        groups.setdefault(row[key], []).append(row)
    result: Counter[str] = Counter({name: 0 for name in (*FAILURES, "answers_lost")})
    result["completed_unlinked"] = sum(row["complete"] for row in groups.get(None, []))
    # Every client finished, so an incomplete administration is a stray duplicate.
    result["incomplete_left_behind"] = sum(not row["complete"] for row in stored)
    lost_examples = []
    for outcome in outcomes:
        rows = groups.get(outcome.link.client_id if per_client else outcome.link.link_id, [])
        completed = [row for row in rows if row["complete"]]
        result["clients"] += 1
        result["not_done"] += not outcome.done
        result["completed_none"] += not completed
        result["completed_more_than_once"] += len(completed) > 1
        for row in completed:
            result["completed_without_total_score"] += "total" not in row["scores"]
            result["link_not_pointing_at_completed"] += row["link_id"] != outcome.link.link_id
            if row["answers"] not in outcome.sent:
                result["clients_with_lost_answers"] += 1
                nearest = max(outcome.sent,
                              key=lambda sent: len(sent.items() & row["answers"].items()))
                result["answers_lost"] += len(nearest.items() - row["answers"].items())
                if len(lost_examples) < 5:
                    lost_examples.append({"stored": row["answers"], "sent": outcome.sent,
                                          "partial_cuts": outcome.partial_cuts})
    result["truncated_posts_accepted"] = sum(s == 200 for o in outcomes
                                             for s in o.partial_answers)
    result["responses_5xx"] = sum(s >= 500 for o in outcomes for s in o.statuses)
    result["no_response"] = sum(s == 0 for o in outcomes for s in o.statuses)
    return {**result, "statuses": dict(Counter(s for o in outcomes for s in o.statuses)),
            "partial_posts": sum(len(o.partial_cuts) for o in outcomes),
            "partial_posts_answered": dict(Counter(s for o in outcomes
                                                   for s in o.partial_answers)),
            "double_submits": sum(len(o.sent) > 1 for o in outcomes),
            "lost_examples": lost_examples}


FAILURES = ("not_done", "completed_none", "completed_more_than_once", "completed_unlinked",
            "completed_without_total_score", "clients_with_lost_answers",
            "truncated_posts_accepted", "link_not_pointing_at_completed", "responses_5xx")
