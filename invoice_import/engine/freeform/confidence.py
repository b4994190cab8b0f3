"""Candidates, their scores, and how sure we are of the one we keep.

Every extractor proposes candidates (a value, a score 0..1, the reason).
The same value found by two independent clues is surer than either clue
alone (noisy-or), and a close runner-up with another value makes the
winner doubtful.  What is doubtful or missing becomes a warning, so that a
person checks it instead of trusting a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Below this confidence a value is reported as doubtful.
DOUBTFUL = 0.6
# A runner-up scoring this close to the winner makes the winner ambiguous.
AMBIGUOUS_RATIO = 0.85
MAX_CONFIDENCE = 0.99


@dataclass
class Candidate:
    value: object
    score: float
    why: str
    line: int | None = None


@dataclass
class Choice:
    value: object = None
    confidence: float = 0.0
    why: str = ""
    rivals: list[object] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # where the value was read


def noisy_or(scores) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - max(0.0, min(score, MAX_CONFIDENCE))
    return min(MAX_CONFIDENCE, 1.0 - remaining)


class Evidence:
    """All candidates for one field, merged by value."""

    def __init__(self):
        self._by_value: dict[object, list[Candidate]] = {}

    def add(self, value, score: float, why: str, line: int | None = None) -> None:
        if value is None or score <= 0:
            return
        self._by_value.setdefault(value, []).append(Candidate(value, score, why, line))

    def __bool__(self) -> bool:
        return bool(self._by_value)

    def ranked(self) -> list[tuple[object, float, list[Candidate]]]:
        """(value, combined score, its candidates), best first; ties keep the first found."""
        rows = [(value, noisy_or(c.score for c in cands), cands) for value, cands in self._by_value.items()]
        rows.sort(key=lambda row: -row[1])
        return rows

    def score_of(self, value) -> float:
        cands = self._by_value.get(value)
        return noisy_or(c.score for c in cands) if cands else 0.0

    def values(self) -> list[object]:
        return list(self._by_value)

    def choose(self) -> Choice:
        ranked = self.ranked()
        if not ranked:
            return Choice()
        value, score, cands = ranked[0]
        best_reason = max(cands, key=lambda c: c.score).why
        rivals = [row[0] for row in ranked[1:] if row[1] >= AMBIGUOUS_RATIO * score]
        if rivals:
            score *= 0.75
        return Choice(value, round(score, 3), best_reason, rivals, [c.line for c in cands if c.line is not None])

    def without(self, rejected) -> Evidence:
        """A copy without the values ``rejected(value)`` refuses (the customer's VAT, the invoice number...)."""
        kept = Evidence()
        for value, cands in self._by_value.items():
            if not rejected(value):
                kept._by_value[value] = list(cands)
        return kept


class Findings:
    """Confidence per field and the warnings that go with it, filled field by field."""

    def __init__(self):
        self.confidence: dict[str, float] = {}
        self.warnings: list[str] = []

    def record(self, key: str, choice: Choice, required: bool = True, describe=str) -> None:
        if choice.value is None:
            self.confidence[key] = 0.0
            if required:
                self.warnings.append(f"{key}: not found")
            return
        self.confidence[key] = round(min(MAX_CONFIDENCE, choice.confidence), 3)
        if choice.rivals:
            others = ", ".join(describe(r) for r in choice.rivals[:3])
            self.warnings.append(f"{key}: {describe(choice.value)} chosen over {others}; please check")
        elif choice.confidence < DOUBTFUL:
            self.warnings.append(f"{key}: {describe(choice.value)} is uncertain ({choice.why})")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
