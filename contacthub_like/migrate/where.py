"""Query expressions written on a command line, parsed safely into the criteria DSL.

``base.lastName == "Wayne" and "vip" in tags.manual`` is parsed with :mod:`ast` (never
evaluated): only attribute paths, literals, comparisons, ``and``/``or``/``not`` and the
function ``between(path, low, high)`` are accepted, so an expression can read nothing
and run nothing. The result is the same :class:`~contacthub_like.query.Criterion` the
Python API builds, compiled by the one query compiler.
"""

from __future__ import annotations

import ast
from typing import Any

from ..errors import InvalidValue
from ..orm.fields import FreeForm, ListOf, Nested
from ..query.criteria import EMPTY, Criterion, Path, all_of, any_of, between_, in_, not_in_
from ..services.contacthub.entities.customer import Customer

__all__ = ["WhereError", "parse_where", "resolve_path"]

_HELP = (
    'write comparisons of attribute paths with literals, e.g. base.lastName == "Wayne" and '
    '"vip" in tags.manual, base.dob >= "1980-01-01", between(base.dob, "1980-01-01", "1989-12-31"), '
    "base.contacts.email != None"
)


class WhereError(InvalidValue):
    """A query expression that cannot be turned into a criterion; the message says where and why."""


def parse_where(text: str | None, entity: Any = Customer) -> Criterion:
    """The criterion for ``text``; :data:`~contacthub_like.query.EMPTY` for an empty expression."""
    if text is None or not text.strip():
        return EMPTY
    stripped = text.strip()
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        raise WhereError(
            f"cannot parse the query expression {text!r}: {exc.msg} {_place(stripped, exc)}; {_HELP}"
        ) from None
    return _Builder(text, entity).criterion(tree.body)


def _place(text: str, exc: SyntaxError) -> str:
    """Where the parser stopped, in the user's terms: a column of a one-line expression, or its end.

    Python reports 0 (or a column past the text) when the expression ends too early.
    """
    offset = exc.offset or 0
    if exc.lineno not in (None, 1) or "\n" in text:
        return f"on line {exc.lineno}" + (f", column {offset}" if offset else "")
    if offset < 1 or offset > len(text):
        return f"at the end of the expression (column {len(text) + 1}): something is missing there"
    return f"at column {offset} ({text[offset - 1 :][:20]!r})"


def resolve_path(entity: Any, dotted: str) -> Path:
    """The query path for ``'base.contacts.email'``; unknown names of fixed sections are refused."""
    parts = dotted.split(".")
    if not all(parts):
        raise WhereError(
            f"{dotted!r} is not an attribute path; write names separated by dots, e.g. base.firstName"
        )
    fields = entity._meta.fields
    if parts[0] not in fields:
        raise WhereError(
            f"{entity.__name__} has no attribute {parts[0]!r}; known: {', '.join(sorted(fields))}"
        )
    path: Path = getattr(entity, parts[0])
    for i, name in enumerate(parts[1:], start=1):
        field = path._field
        inner = field.item if isinstance(field, ListOf) else field
        if isinstance(inner, Nested) and inner.child(name) is None:
            known = ", ".join(sorted(inner.record_cls._meta.fields))
            raise WhereError(f"{'.'.join(parts[:i])} has no attribute {name!r}; known: {known}")
        if inner is not None and not isinstance(inner, (Nested, FreeForm)):
            raise WhereError(f"{'.'.join(parts[:i])} is a single value and has no attribute {name!r}")
        path = path[name]
    return path


class _Builder:
    def __init__(self, text: str, entity: type) -> None:
        self.text = text
        self.entity = entity

    def fail(self, node: ast.AST, what: str) -> WhereError:
        col = getattr(node, "col_offset", None)
        where = f" at column {col + 1}" if col is not None else ""
        return WhereError(f"query expression {self.text!r}: {what}{where}; {_HELP}")

    def criterion(self, node: ast.AST) -> Criterion:
        if isinstance(node, ast.BoolOp):
            parts = [self.criterion(v) for v in node.values]
            return all_of(*parts) if isinstance(node.op, ast.And) else any_of(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ~self.criterion(node.operand)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(node, 'expected a comparison such as base.firstName == "Bruce"')

    def compare(self, node: ast.Compare) -> Criterion:
        operands = [node.left, *node.comparators]
        conditions = [self.condition(op, operands[i], operands[i + 1], node) for i, op in enumerate(node.ops)]
        return all_of(*conditions)

    def condition(self, op: ast.cmpop, left: ast.AST, right: ast.AST, node: ast.AST) -> Criterion:
        if isinstance(op, (ast.In, ast.NotIn)):
            func = in_ if isinstance(op, ast.In) else not_in_
            if self.is_path(right):  # "vip" in tags.manual: the list attribute contains the value
                return func(self.literal(left), self.path(right))
            if self.is_path(left):  # base.firstName in ["Bruce", "Dick"]
                values = self.literal(right)
                if not isinstance(values, list):
                    raise self.fail(right, '\'in\' needs a list of values on its right, e.g. ["a", "b"]')
                return func(self.path(left), values)
            raise self.fail(node, "'in' needs an attribute path on one side")
        if isinstance(op, (ast.Is, ast.IsNot)):
            raise self.fail(node, "write '== None' or '!= None' instead of 'is'")
        flipped = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
        if not self.is_path(left):
            if not self.is_path(right):
                raise self.fail(node, "a comparison needs an attribute path on one side")
            left, right = right, left
            op = flipped.get(type(op), type(op))()
        path, value = self.path(left), self.literal(right)
        if isinstance(op, ast.Eq):
            return path == value
        if isinstance(op, ast.NotEq):
            return path != value
        if value is None:
            raise self.fail(right, "None can only be compared with == or !=")
        if isinstance(op, ast.Lt):
            return path < value
        if isinstance(op, ast.LtE):
            return path <= value
        if isinstance(op, ast.Gt):
            return path > value
        return path >= value

    def call(self, node: ast.Call) -> Criterion:
        if not isinstance(node.func, ast.Name) or node.func.id != "between":
            raise self.fail(node, "the only function is between(path, low, high)")
        if node.keywords or len(node.args) != 3 or not self.is_path(node.args[0]):
            raise self.fail(
                node, "between takes an attribute path and two bounds: between(base.dob, low, high)"
            )
        return between_(self.path(node.args[0]), self.literal(node.args[1]), self.literal(node.args[2]))

    @staticmethod
    def is_path(node: ast.AST) -> bool:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return isinstance(node, ast.Name) and node.id != "None"

    def path(self, node: ast.AST) -> Path:
        names: list[str] = []
        current = node
        while not isinstance(current, ast.Name):
            if isinstance(current, ast.Attribute):
                names.append(current.attr)
                current = current.value
            elif (
                isinstance(current, ast.Subscript)
                and isinstance(current.slice, ast.Constant)
                and isinstance(current.slice.value, str)
            ):
                names.append(current.slice.value)
                current = current.value
            else:
                raise self.fail(
                    current, "an attribute path is names joined by dots, e.g. base.contacts.email"
                )
        names.append(current.id)
        dotted = ".".join(reversed(names))
        try:
            return resolve_path(self.entity, dotted)
        except WhereError as exc:
            raise self.fail(node, str(exc)) from None

    def literal(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and (
            node.value is None or isinstance(node.value, (str, int, float, bool))
        ):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            value = self.literal(node.operand)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.literal(e) for e in node.elts]
        raise self.fail(
            node, "expected a literal (a quoted string, a number, true/false as True/False, None)"
        )
