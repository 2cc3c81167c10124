"""How messages name the project's commands: as a user types them after the README's set-up
(``python3 -m venv .venv && .venv/bin/pip install -e .``), where neither `borderstats` nor the venv's
`python` is on the PATH. Every message that tells a user to run something builds it here."""
from __future__ import annotations

CLI = ".venv/bin/borderstats"
APP = ".venv/bin/python app.py"


def cli(*args: str) -> str:
    """'.venv/bin/borderstats refresh --mirror DIR' from ('refresh', '--mirror', 'DIR')."""
    return " ".join((CLI, *args))


def app(*args: str) -> str:
    """'.venv/bin/python app.py --mirror DIR' from ('--mirror', 'DIR')."""
    return " ".join((APP, *args))


def no_network_hint() -> str:
    """What to do without a network, in words, naming both ways (the command line and the app)."""
    return (f"without a network, read a folder of downloaded files with `{cli('refresh', '--mirror', 'DIR')}` "
            f"(or start the app with `{app('--mirror', 'DIR')}`), or re-read the files already downloaded "
            f"with `{cli('refresh', '--offline')}`")
