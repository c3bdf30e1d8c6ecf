"""The start-up budget's reference: a bare Typer app with a --version option and nothing else.

`plan57 --version` may take at most 1.2 times what this takes (issue 24): what plan57 adds at
start-up beyond Python and Typer themselves.

Usage: python benchmarks/bare_typer.py --version
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)


def _version(value: bool) -> None:
    if value:
        typer.echo("bare 0")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    """A bare app."""


@app.command()
def hello() -> None:
    """One command, as an app has."""


if __name__ == "__main__":
    app()
