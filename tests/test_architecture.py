"""The house rules that a reader of the code relies on (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Return the modules ``path`` imports, absolute (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_the_comments_app_never_imports_the_content_app():
    modules = sorted((ROOT / "comments").rglob("*.py"))
    assert any("migrations" in path.parts for path in modules)
    assert any("management" in path.parts for path in modules)

    edges = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in modules
        for module in imported_modules(path)
        if module == "clusters" or module.startswith("clusters.")
    }

    assert edges == set()
