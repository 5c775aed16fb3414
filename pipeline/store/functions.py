"""SQL functions spelled differently by SQLite and PostgreSQL, so the stages can use one name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class text_position(GenericFunction[int]):
    """1-based position of the second argument in the first, 0 when absent (`instr`, `strpos`)."""

    type = Integer()
    inherit_cache = True


@compiles(text_position)
def _instr(element: Any, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(text_position, "postgresql")
def _strpos(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"
