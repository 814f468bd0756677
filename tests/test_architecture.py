"""Architecture rules: SQL and database connections live only in ``storylens.store`` (stages and views call its
repositories and stage writers, never with a connection), and no Python string under ``src/`` is written with
Hebrew or Arabic characters (language data lives in ``lang/``)."""

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


DRIVERS = ("sqlite3", "psycopg", "psycopg_pool")
CONNECTION = re.compile(r"\bConnection\b")


def connections_outside_store(package: Path) -> list[str]:
    """``path:line: what`` for every place outside ``package/store`` that could reach a database connection:
    importing a driver, naming the store's ``Connection`` type (import or annotation), a parameter named ``conn``
    or ``connection``, reading a ``.conn`` attribute, or opening ``.transaction()`` (which yields one)."""
    problems: list[tuple[str, int, str]] = []
    for path in sorted(package.rglob("*.py")):
        if (package / "store") in path.parents:
            continue
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(package.parent)
        for node in ast.walk(ast.parse(source)):
            found = ""
            if isinstance(node, ast.Import):
                found = next((a.name for a in node.names if a.name.split(".")[0] in DRIVERS), "")
            elif isinstance(node, ast.ImportFrom):
                if (node.module or "").split(".")[0] in DRIVERS:
                    found = f"from {node.module} import"
                elif any(a.name == "Connection" for a in node.names):
                    found = f"imports Connection from {node.module}"
            elif isinstance(node, ast.arg):
                annotation = ast.get_source_segment(source, node.annotation) if node.annotation else ""
                if node.arg in ("conn", "connection") or CONNECTION.search(annotation or ""):
                    found = f"parameter {node.arg}: {annotation or '?'}"
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.AnnAssign):
                annotation = node.returns if not isinstance(node, ast.AnnAssign) else node.annotation
                text = ast.get_source_segment(source, annotation) if annotation else ""
                found = f"annotated {text}" if CONNECTION.search(text or "") else ""
            elif isinstance(node, ast.Attribute) and node.attr == "conn":
                found = ".conn"
            elif (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "transaction"
            ):
                found = ".transaction()"
            if found:
                problems.append((str(where), getattr(node, "lineno", 0), found))
    return [f"{where}:{line}: {found}" for where, line, found in sorted(problems)]


def test_no_connection_outside_the_store() -> None:
    assert connections_outside_store(PACKAGE) == []


def test_the_check_finds_drivers_and_connections(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "ok.py").write_text("import sqlite3\ndef f(conn: Connection) -> None: ...\n")
    (tmp_path / "stage.py").write_text(
        "import sqlite3\n"
        "from psycopg import sql\n"
        "from storylens.store.backend import Connection, Row\n"
        "def write(db: Connection, rows: list[Row]) -> None: ...\n"
        "def read(conn) -> None: ...\n"
        "def opened() -> 'Connection': ...\n"
        "def run(store, error: ConnectionError, pool: ConnectionPool) -> None:\n"
        "    store.conn.execute\n"
        "    with store.transaction() as handle: ...\n"
        "    with store.stage_batch('clustering') as writer: ...\n"
    )
    found = connections_outside_store(tmp_path)
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in found] == ["1", "2", "3", "4", "5", "6", "8", "9"]


# Hebrew, Arabic (with its supplements and presentation forms) and Syriac blocks: language data lives in lang/.
RTL_SCRIPTS = re.compile("[\u0590-\u074f\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def rtl_strings(package: Path) -> list[str]:
    """``path:line`` of every string literal, docstrings aside, that holds a Hebrew or Arabic character, written
    as itself or as an escape (``\\u060c``)."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and RTL_SCRIPTS.search(node.value)
            ):
                problems.append(f"{path.relative_to(package.parent)}:{node.lineno}: {node.value[:40]!r}")
    return problems


def test_no_hebrew_or_arabic_strings_in_python(tmp_path: Path) -> None:
    assert rtl_strings(PACKAGE) == []
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "marks.py").write_text(
        '"""Docstring example: \u05e6\u05d4"\u05dc."""\nGAP = ",\u060c"\nESCAPED = "\\u060c"\n', encoding="utf-8"
    )
    assert rtl_strings(tmp_path / "pkg") == ["pkg/marks.py:2: ',\u060c'", "pkg/marks.py:3: '\u060c'"]
