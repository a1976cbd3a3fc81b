"""The plan of the house, checked: the import graph of ``analytics/`` and ``pages/`` (read with ``ast``, so
nothing is imported) has no cycle and keeps the layer rule.

* ``core`` imports nothing above it;
* a stage imports ``core`` and earlier stages only (poverty → commodity → valuechain → business →
  monitoring);
* ``render`` imports ``core`` and stage logic, never a ``store``; ``io`` imports ``core`` and stages;
  ``demo`` (and ``testing``, the browser harness) import anything but pages and nothing else imports them;
  nothing in ``analytics`` imports ``pages``;
* SQL runs only in ``store`` modules (and ``core``, ``io``, ``demo``), never in a page.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("poverty", "commodity", "valuechain", "business", "monitoring")
RANK = {"core": 0, **{s: i + 1 for i, s in enumerate(STAGES)}}
SQL_ALWAYS = {"execute", "executemany", "sql", "register", "unregister"}  # DuckDB cursor/connection methods
SQL_ON_DB = {"query", "scalar", "write", "fetchall", "fetchone"}  # Database methods (names shared with pandas)
DB_NAMES = {"db", "cur", "con", "conn", "database"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    files = [*(ROOT / "analytics").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    return {module_name(p): p for p in files}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Project modules that ``path`` imports (at any depth of the file, local imports included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            names = [n if n in known else node.module for n in subs]
        else:
            continue
        for n in names:
            while n and n not in known:
                n = n.rpartition(".")[0]
            if n and n not in ("analytics", "pages"):
                out.add(n)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imports_of(p, set(mods)) - {m} for m, p in mods.items()}


def layer(mod: str) -> str:
    parts = mod.split(".")
    if parts[0] != "analytics":
        return "pages"
    if len(parts) == 1 or parts[1] == "__main__":
        return "analytics"  # the package itself and its command line
    return parts[1]


def allowed(src: str, dst: str) -> bool:
    """Whether module ``src`` may import module ``dst``."""
    a, b = layer(src), layer(dst)
    if dst == "analytics.__main__":
        return False  # the command line is an entry point, never a library
    if b == "pages":
        return a == "pages"
    if a in ("pages", "analytics"):
        return True  # pages and the command line may use any part of analytics
    if a in ("demo", "testing"):
        return True
    if b in ("demo", "testing"):
        return False
    if a == "io":
        return b in RANK or b == "io"
    if a == "render":
        return (b in RANK and not dst.endswith(".store")) or b == "render"
    if a in RANK:
        return b in RANK and RANK[b] <= RANK[a]
    return False


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_layer_rule_holds() -> None:
    g = graph()
    bad = sorted(f"{a} → {b}" for a, deps in g.items() for b in deps if not allowed(a, b))
    assert bad == []


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_sql_only_in_stores() -> None:
    mods = modules()
    offenders = []
    for mod, path in mods.items():
        if mod.endswith(".store") or layer(mod) in ("core", "io", "demo") or mod.startswith("analytics.testing.pg"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                attr, owner = node.func.attr, node.func.value
                on_db = isinstance(owner, ast.Name) and owner.id in DB_NAMES
                if attr in SQL_ALWAYS or (attr in SQL_ON_DB and on_db):
                    offenders.append(f"{mod}:{node.lineno} .{attr}()")
    assert offenders == []


@pytest.mark.parametrize(("src", "dst", "ok"), [
    ("analytics.core.db", "analytics.poverty.store", False),
    ("analytics.poverty.drilldown", "analytics.commodity.scoring", False),
    ("analytics.business.calc", "analytics.poverty.targeting", True),
    ("analytics.business.calc", "analytics.render.charts", False),
    ("analytics.render.maps", "analytics.poverty.drilldown", True),
    ("analytics.render.maps", "analytics.poverty.store", False),
    ("analytics.valuechain.store", "analytics.demo.chains", False),
    ("analytics.demo.chains", "analytics.business.store", True),
    ("analytics.io.registers", "analytics.poverty.targeting", True),
    ("analytics.poverty.targeting", "analytics.io.registers", False),
    ("pages.peta", "analytics.poverty.store", True),
    ("analytics.core.fmt", "pages._ui", False),
    ("analytics.testing.harness", "analytics.demo.build", True),
    ("analytics.__main__", "analytics.demo.build", True),
    ("analytics.demo.build", "analytics.__main__", False),
    ("analytics.monitoring.store", "analytics.testing.harness", False),
])
def test_rule_itself(src: str, dst: str, ok: bool) -> None:
    assert allowed(src, dst) is ok


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


CHOICE_WIDGETS = {"selectbox", "radio", "multiselect", "segmented_control", "pills", "select_slider"}


def _keyed_choices_with_labels(tree: ast.AST) -> list[tuple[str, int]]:
    """(key, line) of every choice widget with a literal key and a format_func: its value travels as the
    formatted label, which a language switch changes."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CHOICE_WIDGETS:
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            key = kw.get("key")
            if "format_func" in kw and isinstance(key, ast.Constant) and isinstance(key.value, str):
                out.append((key.value, node.lineno))
    return out


def _kept(tree: ast.AST) -> set[str]:
    return {a.value for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "keep" for a in node.args if isinstance(a, ast.Constant)}


def test_keyed_choice_widgets_survive_a_language_switch() -> None:
    # a keyed choice widget with formatted labels is re-seeded with ui.keep (or made through ui.persistent,
    # whose widgets have no literal key): otherwise EN after ID returns an Indonesian label as its value
    missing = []
    for path in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kept = _kept(tree)
        missing += [f"{path.name}:{line} key={key!r}" for key, line in _keyed_choices_with_labels(tree)
                    if key not in kept]
    assert missing == []


def test_the_choice_widget_finder_sees_a_keyed_selectbox() -> None:
    tree = ast.parse('st.selectbox("x", [1], format_func=str, key="k")\nui.keep("j")\n'
                     'st.radio("y", [1], key="r")\nc.multiselect("z", [1], format_func=f, key="m")')
    assert _keyed_choices_with_labels(tree) == [("k", 1), ("m", 4)] and _kept(tree) == {"j"}
