"""The README's commands are the ones CI runs and the ones the CLI has."""
from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(python3 -m venv[^\n]+)\n```", text)


def test_readme_gives_two_fresh_machine_commands():
    cmds = readme_commands()
    assert len(cmds) == 2
    assert cmds[0].endswith("pip install . && marketgraph dashboard")
    assert cmds[1].endswith("pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_readme_mentions_every_cli_command():
    from marketgraph.cli import main

    text = (REPO / "README.md").read_text(encoding="utf-8")
    for name in main.list_commands(None):
        assert f"marketgraph {name}" in text, name
