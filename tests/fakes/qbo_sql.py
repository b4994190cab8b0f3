"""The subset of the QuickBooks query language python-quickbooks sends, parsed and evaluated over dicts.

Grammar (keywords case-insensitive, both ``ORDERBY`` and ``ORDER BY`` since the SDK
writes the first in ``where()`` and the second in ``all()``)::

    SELECT * | COUNT(*) FROM Entity
        [WHERE cond {AND cond}] [ORDERBY path [ASC|DESC] {, path [ASC|DESC]}]
        [STARTPOSITION n] [MAXRESULTS n]
    cond := path (= | != | < | <= | > | >=) literal | path IN (literal {, literal}) | path LIKE 'pattern'

Anything else raises :class:`QueryError`, which the server turns into QBO's
``QueryParserError`` fault (code 4000) so a client that drifts from the
supported syntax fails loudly instead of getting silently wrong rows.

>>> q = parse("SELECT * FROM Customer WHERE DisplayName = 'O\\\\'Brien' MAXRESULTS 5")
>>> q.entity, q.conditions[0].value, q.max_results
('Customer', "O'Brien", 5)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

MAX_RESULTS_LIMIT = 1000
DEFAULT_MAX_RESULTS = 100

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:\\.|[^'\\])*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|=|<|>|\(|\)|,|\*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)


class QueryError(ValueError):
    """The statement is outside the supported grammar."""


@dataclass
class Condition:
    path: str
    op: str
    value: object  # a literal, or a tuple of literals for IN

    def matches(self, row: dict) -> bool:
        actual = lookup(row, self.path)
        if self.op == "IN":
            return any(_compare(actual, "=", candidate) for candidate in self.value)
        if self.op == "LIKE":
            pattern = "^" + ".*".join(re.escape(part) for part in str(self.value).split("%")) + "$"
            return actual is not None and re.match(pattern, str(actual), re.IGNORECASE) is not None
        return _compare(actual, self.op, self.value)


@dataclass
class Query:
    entity: str
    count: bool = False
    conditions: list[Condition] = field(default_factory=list)
    order_by: list[tuple[str, bool]] = field(default_factory=list)  # (path, descending)
    start_position: int = 1
    max_results: int = DEFAULT_MAX_RESULTS

    def run(self, rows: list[dict]) -> tuple[list[dict], int]:
        """Rows of this page and the number of rows matching before paging."""
        selected = [row for row in rows if all(cond.matches(row) for cond in self.conditions)]
        for path, descending in reversed(self.order_by):
            selected.sort(key=lambda row, p=path: _sort_key(lookup(row, p)), reverse=descending)
        start = self.start_position - 1
        return selected[start : start + self.max_results], len(selected)


def lookup(row: dict, path: str):
    """Value at a dotted path; a reference (``CustomerRef``) compares by its ``value``."""
    current = row
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        if part not in current:  # QBO field names are case-insensitive (``Metadata.LastUpdatedTime`` works)
            part = next((key for key in current if key.lower() == part.lower()), part)
        current = current.get(part)
    if isinstance(current, dict) and "value" in current:
        return current["value"]
    return current


def parse(statement: str) -> Query:
    tokens = _tokenize(statement)
    stream = _Stream(tokens)
    stream.keyword("SELECT")
    count = False
    if stream.peek_word("COUNT"):
        stream.next()
        for expected in ("(", "*", ")"):
            stream.symbol(expected)
        count = True
    else:
        stream.symbol("*")
    stream.keyword("FROM")
    query = Query(entity=stream.word(), count=count)
    if stream.peek_word("WHERE"):
        stream.next()
        query.conditions.append(_condition(stream))
        while stream.peek_word("AND"):
            stream.next()
            query.conditions.append(_condition(stream))
    if stream.peek_word("ORDERBY") or stream.peek_word("ORDER"):
        if stream.next()[1].upper() == "ORDER":
            stream.keyword("BY")
        query.order_by.append(_ordering(stream))
        while stream.peek_symbol(","):
            stream.next()
            query.order_by.append(_ordering(stream))
    if stream.peek_word("STARTPOSITION"):
        stream.next()
        query.start_position = max(1, int(stream.number()))
    if stream.peek_word("MAXRESULTS"):
        stream.next()
        query.max_results = min(int(stream.number()), MAX_RESULTS_LIMIT)
    if not stream.done():
        raise QueryError(f"Encountered {stream.next()[1]!r} after the end of the statement")
    return query


def _condition(stream: _Stream) -> Condition:
    path = stream.word()
    if stream.peek_word("IN"):
        stream.next()
        stream.symbol("(")
        values = [stream.literal()]
        while stream.peek_symbol(","):
            stream.next()
            values.append(stream.literal())
        stream.symbol(")")
        return Condition(path, "IN", tuple(values))
    if stream.peek_word("LIKE"):
        stream.next()
        return Condition(path, "LIKE", stream.literal())
    kind, op = stream.next()
    if kind != "op" or op not in {"=", "!=", "<", "<=", ">", ">="}:
        raise QueryError(f"Expected a comparison after {path}, got {op!r}")
    return Condition(path, op, stream.literal())


def _ordering(stream: _Stream) -> tuple[str, bool]:
    path = stream.word()
    descending = False
    if stream.peek_word("ASC") or stream.peek_word("DESC"):
        descending = stream.next()[1].upper() == "DESC"
    return path, descending


def _tokenize(statement: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = statement.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise QueryError(f"Unexpected character at {position}: {text[position : position + 10]!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Stream:
    def __init__(self, tokens):
        self._tokens = tokens
        self._index = 0

    def done(self) -> bool:
        return self._index >= len(self._tokens)

    def next(self) -> tuple[str, str]:
        if self.done():
            raise QueryError("Unexpected end of statement")
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _peek(self):
        return None if self.done() else self._tokens[self._index]

    def peek_word(self, word: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == "word" and token[1].upper() == word

    def peek_symbol(self, symbol: str) -> bool:
        return self._peek() == ("op", symbol)

    def keyword(self, word: str) -> None:
        if not self.peek_word(word):
            raise QueryError(f"Expected {word}")
        self.next()

    def symbol(self, symbol: str) -> None:
        if not self.peek_symbol(symbol):
            raise QueryError(f"Expected {symbol!r}")
        self.next()

    def word(self) -> str:
        kind, value = self.next()
        if kind != "word":
            raise QueryError(f"Expected a name, got {value!r}")
        return value

    def number(self) -> str:
        kind, value = self.next()
        if kind != "number":
            raise QueryError(f"Expected a number, got {value!r}")
        return value

    def literal(self):
        kind, value = self.next()
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", value[1:-1])
        if kind == "number":
            return Decimal(value)
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise QueryError(f"Expected a literal, got {value!r}")


def _as_datetime(value):
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_decimal(value):
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _normalise(actual, expected):
    """Bring both sides to one comparable type: datetimes, then numbers, then strings."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual, expected
    left_time, right_time = _as_datetime(actual), _as_datetime(expected)
    if left_time is not None and right_time is not None:
        if (left_time.tzinfo is None) != (right_time.tzinfo is None):
            raise QueryError("Compare times either both with or both without a UTC offset")
        return left_time, right_time
    left_number, right_number = _as_decimal(actual), _as_decimal(expected)
    if left_number is not None and right_number is not None:
        return left_number, right_number
    return str(actual).casefold(), str(expected).casefold()  # QBO compares text case-insensitively


def _compare(actual, op: str, expected) -> bool:
    if actual is None:
        return False
    left, right = _normalise(actual, expected)
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    except TypeError as exc:
        raise QueryError(f"Cannot order {actual!r} against {expected!r}") from exc


def _sort_key(value):
    number = _as_decimal(value)
    if number is not None:
        return (0, number, "")
    return (1, Decimal(0), "" if value is None else str(value).casefold())
