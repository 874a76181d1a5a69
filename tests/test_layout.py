"""The layout a newcomer reads: each stage is used through its front (its __init__), no module reaches
for another package's private names, and no module grows past what one reading takes in.
(The layer order itself is import-linter's, in .ci/layers.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("fetch", "transcribe", "segment", "render", "clean")
MAX_LINES = 400


def _sources() -> list[Path]:
    return sorted([*(ROOT / "recap").rglob("*.py"), *(p for s in STAGES for p in (ROOT / s).glob("*.py"))])


def _package_of(path: Path) -> str:
    """The import package a source file belongs to ("recap.stages.segment", "recap.app")."""
    top = path.relative_to(ROOT).parts[0]
    if top in STAGES:
        return f"recap.stages.{top}"
    return ".".join(path.relative_to(ROOT).parent.parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


def test_a_stage_is_used_through_its_front():
    reaching_in = []
    for path in _sources():
        own = _package_of(path)
        for module, _ in _imports(path):
            parts = module.split(".")
            if parts[:2] == ["recap", "stages"] and len(parts) > 3 and ".".join(parts[:3]) != own:
                reaching_in.append(f"{path.relative_to(ROOT)}: {module}")
    assert reaching_in == []


def test_no_module_takes_another_packages_private_names():
    private = []
    for path in _sources():
        own = _package_of(path)
        for module, names in _imports(path):
            if not module.startswith("recap") or module.rsplit(".", 1)[0] == own or module == own:
                continue
            private += [f"{path.relative_to(ROOT)}: {module}.{name}" for name in names
                        if name.startswith("_") and not name.endswith("__")]
            if any(part.startswith("_") for part in module.split(".")):
                private.append(f"{path.relative_to(ROOT)}: {module}")
    assert private == []


def test_no_module_is_longer_than_one_reading():
    long = {str(path.relative_to(ROOT)): n for path in _sources()
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}
