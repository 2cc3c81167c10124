"""The documentation: the MkDocs site builds strictly (no broken link, every page in the nav) and loads
nothing from the internet; the README stays a short front door that carries CI's exact test command;
every relative link of README.md and CONTRIBUTING.md resolves; docs/commands.md covers every option
of the command line."""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
CONTRIBUTING = REPO / "CONTRIBUTING.md"
COMMANDS = REPO / "docs" / "commands.md"
SCREENSHOT = REPO / "docs" / "img" / "overview.png"
START_MARKER = "# --- the README's test command, verbatim ---"
END_MARKER = "# ---"

HAVE_MKDOCS = all(importlib.util.find_spec(m) is not None for m in ("mkdocs", "material"))
needs_mkdocs = pytest.mark.skipif(not HAVE_MKDOCS, reason="mkdocs or mkdocs-material is not installed "
                                  "(pip install -e '.[docs]')")


def mkdocs_build(config_dir: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=config_dir, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    if not HAVE_MKDOCS:
        pytest.skip("mkdocs or mkdocs-material is not installed (pip install -e '.[docs]')")
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO, out)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


# --------------------------------------------------------------------------- the site


@needs_mkdocs
def test_site_builds_strictly_with_every_page(site):
    nav_pages = re.findall(r":\s*([\w-]+\.md)\s*$", (REPO / "mkdocs.yml").read_text(), flags=re.M)
    on_disk = sorted(p.name for p in (REPO / "docs").glob("*.md"))
    assert sorted(nav_pages) == on_disk, "every page of docs/ is in the nav, and only those"
    for page in nav_pages:
        assert (site / page.replace(".md", ".html")).is_file(), page
    assert (site / "img" / "overview.png").is_file()


@needs_mkdocs
def test_strict_build_fails_on_a_broken_link(tmp_path):
    """The check above can fail: the same site with one link to a missing page does not build."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    with open(tmp_path / "docs" / "index.md", "a", encoding="utf-8") as f:
        f.write("\n[a page that does not exist](no-such-page.md)\n")
    result = mkdocs_build(tmp_path, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stdout + result.stderr


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.refs.append((tag, a["src"]))
        if tag == "link" and a.get("href") and (a.get("rel") or "") != "canonical":
            self.refs.append((tag, a["href"]))


@needs_mkdocs
def test_site_loads_nothing_from_the_internet(site):
    """Offline by default: no web fonts, CDN scripts or analytics in any page (links to read are fine)."""
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 10
    external = []
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.refs, f"{page.name} references no asset at all: the parser saw nothing"
        external += [f"{page.name}: <{tag}> {ref}" for tag, ref in parser.refs
                     if re.match(r"^(https?:)?//", ref)]
    assert not external, external
    for css in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


# --------------------------------------------------------------------------- the README


def ci_test_command() -> list[str]:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    start = lines.index(START_MARKER) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == END_MARKER)
    return [line for line in lines[start:end] if line.strip() and line.strip() != "rc=$?"]


def test_readme_is_a_short_front_door():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 160, f"README.md has {len(lines)} lines; move reference to docs/"


def test_readme_carries_the_exact_ci_test_command():
    commands = ci_test_command()
    assert commands, ".ci/run has no command between its markers"
    readme_lines = README.read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in readme_lines, f"README.md lacks .ci/run's test command verbatim: {command}"


def test_readme_links_the_benchmarks_and_shows_the_screenshot():
    text = README.read_text(encoding="utf-8")
    assert "(docs/benchmarks.md)" in text
    assert "(docs/img/overview.png)" in text
    data = SCREENSHOT.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1366 and 300 <= height <= 1200, (width, height)
    assert len(data) < 300_000


# --------------------------------------------------------------------------- links


LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def slug(heading: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (as MkDocs renders it)."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text).strip("-")


def anchors(md: Path) -> set[str]:
    return {slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", md.read_text(encoding="utf-8"), flags=re.M)}


@pytest.mark.parametrize("doc", [README, CONTRIBUTING], ids=lambda p: p.name)
def test_relative_links_point_at_existing_files(doc):
    targets = LINK.findall(doc.read_text(encoding="utf-8"))
    relative = [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, flags=re.I)]
    assert len(relative) >= 5, f"{doc.name}: expected links into the repository, found {relative}"
    broken = []
    for target in relative:
        path, _, fragment = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists():
            broken.append(target)
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{doc.name}: broken links {broken}"


def test_slug_matches_the_toc_extension():
    """The anchors above are computed the way Python-Markdown's toc does (checked against it, when present)."""
    markdown = pytest.importorskip("markdown")
    headings = ["Licences", "Where data lives", "1. `borderstats schedule`", "Adding them: `borderstats figures add`"]
    md = markdown.Markdown(extensions=["toc"])
    md.convert("\n\n".join(f"## {h}" for h in headings))
    assert [slug(h) for h in headings] == [t["id"] for t in md.toc_tokens]


# --------------------------------------------------------------------------- the command reference


def subcommands(parser: argparse.ArgumentParser, prefix: str = "borderstats"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from subcommands(sub, f"{prefix} {name}")


def sections(md: Path) -> dict[str, str]:
    out, title = {}, None
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].strip().strip("`")
            out[title] = ""
        elif title:
            out[title] += line + "\n"
    return out


def test_commands_page_covers_every_command_and_option():
    from borderstats.cli import build_parser

    found = dict(subcommands(build_parser()))
    assert {"borderstats refresh", "borderstats export", "borderstats figures add"} <= set(found)
    docs = sections(COMMANDS)
    missing = []
    for name, sub in found.items():
        if name not in docs:
            missing.append(f"no section '## {name}'")
            continue
        for action in sub._actions:
            if action.help == argparse.SUPPRESS:  # hidden on purpose (for the test suite)
                continue
            for option in action.option_strings:
                if (option.startswith("--") and option != "--help"
                        and not re.search(re.escape(option) + r"(?![\w-])", docs[name])):
                    missing.append(f"{name}: {option}")
    assert not missing, missing


def test_the_data_contract_page_lists_every_table_as_the_schema_declares_it():
    from etl.schema import TABLES

    page = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$", page, flags=re.M))
    assert set(rows) == set(TABLES)
    for name, table in TABLES.items():
        assert [f.strip() for f in rows[name].split(",")] == list(table.fields), name
