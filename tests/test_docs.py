from pathlib import Path

from flis import docsgen


def test_generated_docs_are_current(repo_root: Path) -> None:
    assert docsgen.stale(repo_root) == [], "run `flis docs render` and commit the result"
