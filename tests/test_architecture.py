"""The store boundary: SQL lives only in ``storylens.store``; stages and views call its functions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storylens"
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s+\w+\s*=|\b(CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER)\b"
)
EXECUTE = {"execute", "executemany", "executescript"}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (prose may name SQL)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_outside_store(package: Path) -> list[str]:
    """``path:line: what`` for every SQL string literal or ``.execute*(`` call outside ``package/store``."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        if (package / "store") in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        where = path.relative_to(package.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in EXECUTE:
                problems.append(f"{where}:{node.lineno}: .{node.func.attr}(...) call")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and SQL.search(node.value)
            ):
                problems.append(f"{where}:{node.lineno}: SQL in a string: {node.value.strip()[:60]!r}")
    return problems


def test_no_sql_outside_the_store() -> None:
    assert sql_outside_store(PACKAGE) == []


def test_the_check_finds_sql_and_execute_calls(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "ok.py").write_text('conn.execute("SELECT id FROM stories")\n')
    (tmp_path / "stage.py").write_text(
        '"""Reads SELECT id FROM stories in prose only."""\n'
        'conn.executemany("UPDATE stories SET title = ? WHERE id = ?", rows)\n'
        'query = f"DELETE FROM {table} WHERE article_id = ?"\n'
        'note = "select a story from the list"\n'
    )
    found = sql_outside_store(tmp_path)
    assert [line.split(": ", 1)[0] for line in found] == [f"{tmp_path.name}/stage.py:2"] * 2 + [
        f"{tmp_path.name}/stage.py:3"
    ]
