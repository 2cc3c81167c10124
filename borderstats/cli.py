"""The `borderstats` command: sources, refresh, ingest, status, validate."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl import commands
from etl.config import ENV_DATA_DIR, data_dir

EXIT_HELP = """exit codes: 0 every source fine; 1 some sources failed and their previous data was kept;
2 nothing could be published (all failed, or another refresh is running)."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", metavar="DIR",
                   help=f"where raw files and releases live (default: ${ENV_DATA_DIR} or ./data)")
    p.add_argument("-v", "--verbose", action="store_true", help="more log output")


class _InOrder(argparse.Action):
    """Repeatable options whose order matters (`export --chart A --query Q`): each value is appended to its
    own list and, with its option's name, to `plan`."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest) or []), values])
        namespace.plan = [*(getattr(namespace, "plan", None) or []), (self.dest, values)]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="borderstats",
        description="U.S.-Mexico border migration statistics: fetch, normalise, validate and publish the sources.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("sources", help="list the sources, their publishers and status",
                       description="List every source of the registry (data/reference/sources.toml) "
                                   "with its publisher, the rows it has in the current release and its status.")
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("refresh", help="fetch the sources and publish a new release",
                       description="Fetch each source (or read it from --mirror), parse, validate and publish a "
                                   "new release if anything changed. A failed source keeps its previous data.",
                       epilog=EXIT_HELP)
    _common(p)
    p.add_argument("--source", action="append", metavar="ID", dest="sources",
                   help="refresh only this source (repeatable; default: all)")
    p.add_argument("--mirror", metavar="DIR", type=Path,
                   help="read each source's files from DIR/<source id>/ instead of the network")
    p.add_argument("--offline", action="store_true",
                   help="no network: re-read each source's latest raw snapshot under the data dir")
    p.add_argument("--force", action="store_true", help="parse files even when their checksum is unchanged")
    p.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds (default 30)")
    _accept_shrink(p)

    p = sub.add_parser("doctor", help="check what a refresh would fetch, without fetching it",
                       description="For each source, read its landing page and ask for the file a refresh would "
                                   "fetch (HEAD, or a ranged GET when HEAD is refused): print its address, date "
                                   "(Last-Modified) and size, or exactly what is wrong (no DNS, a refusal, a moved "
                                   "page or file, no link matching the pattern, an HTML page where data should be).",
                       epilog="exit codes: 0 every required file can be fetched; 1 some required source is broken; "
                              "2 a bad option (an unknown source).")
    _common(p)
    p.add_argument("--source", action="append", metavar="ID", dest="sources",
                   help="check only this source (repeatable; default: all)")
    p.add_argument("--mirror", metavar="DIR", type=Path,
                   help="check that DIR/<source id>/ holds each source's files, instead of the network")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--timeout", type=float, default=15.0, help="HTTP timeout in seconds (default 15)")

    p = sub.add_parser("ingest", help="ingest files downloaded by hand",
                       description="Ingest files you downloaded yourself through the same parse, validate and "
                                   "publish path as refresh. The files replace the source's rows of the same layout.",
                       epilog=EXIT_HELP)
    _common(p)
    p.add_argument("source_id", metavar="SOURCE_ID")
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.add_argument("--force", action="store_true", help="parse files even when their checksum is unchanged")
    _accept_shrink(p)

    p = sub.add_parser("status", help="the current release and each source's status",
                       description="Show the current release (id, folder, publication time) and, per source, "
                                   "status, rows, retrieval time, age of its data and last error. A source whose "
                                   "refresh failed keeps its previous rows (stale).")
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--failing-after", type=int, metavar="N",
                   help="consecutive failed refreshes before a source is reported as failing "
                        "(default: $BORDERSTATS_FAILING_AFTER or 3)")

    p = sub.add_parser("extract", help="propose reported figures from an article's text",
                       description="Read an article (a text or HTML file, or a URL) and print the figures a careful "
                                   "reader would note: metric, value, qualifier, place, period, quote and its "
                                   "character offsets. Review them, add a definition, then `borderstats figures add`.")
    _common(p)
    p.add_argument("source", metavar="PATH_OR_URL")
    p.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD): resolves 'in October'")
    p.add_argument("--format", choices=("json", "csv", "text"), default=None,
                   help="json (the default) or csv; with --explain: text (the default) or json")
    p.add_argument("--url", help="the article's address, copied into each candidate (default: the URL read)")
    p.add_argument("--publisher", help="copied into each candidate")
    p.add_argument("--title", help="the article's headline: copied into each candidate, and read for what the article is "
                                  "about (a headline naming MPP makes court events MPP cases)")
    p.add_argument("--max-bytes", type=int, default=5_000_000, help="refuse larger inputs (default 5 MB)")
    p.add_argument("--explain", action="store_true",
                   help="show every number in the text, kept or dropped, and the rule behind its noun, measure, "
                        "qualifier, place and period (with --format json: the decisions as JSON)")
    p.add_argument("--rules-only", action="store_true",
                   help="the rules alone, without the learned models' second opinions on which numbers are "
                        "figures and what they measure (docs/reported-figures.md)")
    p.add_argument("--unmarked-only", action="store_true",
                   help="only the figures no part of which is marked for review (their `check` is empty): fewer "
                        "figures, more of them right (docs/extractor-evaluation.md#what-to-check-first)")

    p = sub.add_parser("figures", help="manage the curated reported figures",
                       description="Manage data/reference/reported_figures.csv, the curated table of figures "
                                   "from news and NGO reports.")
    fig_sub = p.add_subparsers(dest="figures_command", metavar="ACTION", required=True)
    a = fig_sub.add_parser("add", help="append reviewed candidates (JSON from `extract`)",
                           description="Append reviewed candidates to the curated table. Each needs metric, value, "
                                       "qualifier, url, publisher, quote, definition, counted_by and report_kind "
                                       "(who counted, and what the cited page is). Candidates with the same "
                                       "metric, place, period, value and URL as a figure already present are "
                                       "skipped. Nothing is written unless every candidate is valid.")
    _common(a)
    a.add_argument("candidates", metavar="CANDIDATES.json", type=Path)
    a.add_argument("--file", type=Path, help="the curated table (default: data/reference/reported_figures.csv)")

    p = sub.add_parser("schedule", help="stay running and refresh on cron schedules",
                       description="Run in the foreground (for systemd, a container or a terminal) and refresh on "
                                   "each source's schedule from the registry, or all selected sources on --cron. "
                                   "Never two refreshes at once (the refresh lock). SIGTERM or Ctrl-C stops it "
                                   "after the refresh in progress; a second signal abandons that refresh (its "
                                   "release is discarded, the current one keeps serving).")
    _common(p)
    p.add_argument("--cron", metavar="EXPR", help='one cron line for every selected source, e.g. "0 6 * * *" (UTC)')
    p.add_argument("--every", type=float, metavar="SECONDS", help="refresh every N seconds instead of cron")
    p.add_argument("--source", action="append", metavar="ID", dest="sources",
                   help="schedule only this source (repeatable; default: all)")
    p.add_argument("--run-now", action="store_true", help="also refresh once at start")
    p.add_argument("--mirror", type=Path, metavar="DIR", help="read files from DIR/<source id>/ instead of the web")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request (60)")
    p.add_argument("--log-format", choices=["text", "json"], default="text",
                   help="log lines as text or one JSON object per line")
    p.add_argument("--failing-after", type=int, metavar="N",
                   help="consecutive failed refreshes before a source is logged as failing (default 3)")
    p.add_argument("--max-runs", type=int, metavar="N", help=argparse.SUPPRESS)  # tests: stop after N runs

    p = sub.add_parser("changes", help="what changed in a release: rows, new months, revised figures",
                       description="Print the change report of the current release (or --release ID): per table, "
                                   "rows added, removed and changed, new periods, and revised figures with the old "
                                   "value, the new value and by how much.")
    _common(p)
    p.add_argument("--release", metavar="ID", help="a release id (default: the current one)")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")
    p.add_argument("--revisions", type=int, default=20, metavar="N", help="revised figures shown per table (20)")

    p = sub.add_parser("validate", help="check the registry, the gazetteer and the current release",
                       description="Re-validate every table of the current release (or --release ID) against the "
                                   "table contract, check its CSV files against its datapackage.json with "
                                   "frictionless (every row of tables up to 100,000 rows; the header and first "
                                   "20,000 rows of bigger ones, unless --all-rows), and check the registry and the "
                                   "bundled reference data.")
    _common(p)
    p.add_argument("--release", metavar="ID", help="a release id (default: the current one)")
    p.add_argument("--all-rows", action="store_true",
                   help="check every row of every CSV against datapackage.json (about a minute for a full release)")

    p = sub.add_parser("export", help="export the dashboard's charts as PNG, SVG, PDF or CSV",
                       description="Render charts of the current release as the dashboard draws them (the same "
                                   "query parameters as the page's URL), with title, source line and notes in "
                                   "the image; the CSV holds the plotted numbers as a tidy table, with a sidecar "
                                   "<chart>.json saying what they are. One Chromium serves every image.",
                       epilog="exit codes: 0 all written; 1 images could not be made (no Chromium), CSV written; "
                              "2 a bad chart name, query, size or format.")
    _common(p)
    p.add_argument("--list", action="store_true", help="list the charts and the query parameters each takes")
    p.set_defaults(plan=[])
    p.add_argument("--chart", action=_InOrder, metavar="NAME", default=[],
                   help="a chart name (repeatable, or comma-separated)")
    p.add_argument("--all", action="store_true", help="every chart")
    p.add_argument("--query", action=_InOrder, metavar="Q", default=[],
                   help='the view, e.g. "cities=08037,02004&year=2020"; one --query applies to every chart, '
                        'several pair each with the --chart before it (--chart a --query Q1 --chart b --query "")')
    p.add_argument("--format", default="png", metavar="F", help="comma-separated: png, svg, pdf, csv (default png)")
    p.add_argument("--size", metavar="WxH", help="1200x675 (default) or a preset: social, square, print")
    p.add_argument("--scale", metavar="N", help="1 (default), 2 or 3: pixel density of PNG images")
    p.add_argument("--out", type=Path, default=Path("exports"), metavar="DIR", help="output folder (./exports)")
    p.add_argument("--lang", choices=("en", "es"), default="en",
                   help="language of the titles, notes, source lines and footers of the images and of the CSV's "
                        "sidecar (en, default; es: Spanish); the CSV's column names are the same in both")
    p.add_argument("--base-url", default="", metavar="URL",
                   help="the dashboard's public address, for the links under each image and in the CSV's "
                        "sidecar JSON (default: $BORDERSTATS_PUBLIC_URL or http://127.0.0.1:8050)")
    p.add_argument("--pin", action="store_true",
                   help="publish a pinned snapshot: figure, CSV and images under <data dir>/pinned/<hash>/, "
                        "served read-only at /pinned/<hash>/ (the numbers never change)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from etl.errors import EtlError
    from etl.logs import configure_logging

    configure_logging(args.verbose, getattr(args, "log_format", "text"))
    base = data_dir(args.data_dir)
    try:
        return COMMANDS[args.command](args, base)
    except EtlError as exc:
        print(f"borderstats {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"borderstats {args.command}: interrupted; the current release is unchanged", file=sys.stderr)
        return 2
    except OSError as exc:  # a data folder we may not write, a full disk
        print(f"borderstats {args.command}: error: {exc}", file=sys.stderr)
        return 2


def cmd_sources(args, base: Path) -> int:
    from etl.status import status
    from etl.registry import load_registry

    st = status(base)["sources"]
    rows = [
        {"id": s.id, "publisher": s.publisher, "status": st[s.id]["status"], "rows": st[s.id]["rows"],
         "retrieved_at": st[s.id]["retrieved_at"], "landing_page": s.landing_page}
        for s in load_registry()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"{'id':<22} {'status':<10} {'rows':>9}  publisher")
    for r in rows:
        print(f"{r['id']:<22} {r['status']:<10} {r['rows']:>9}  {r['publisher']}")
    return 0


def _progress_factory():
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    def make(name: str):
        bar = tqdm(total=None, unit="B", unit_scale=True, desc=name, leave=False, file=sys.stderr)

        def update(done: int, total: int | None) -> None:
            if total and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()

        return update

    return make


def _report(result) -> None:
    for sid, o in result.outcomes.items():
        if o.status == "failed":
            print(f"  {sid:<22} FAILED     {o.error}", file=sys.stderr)
        else:
            extra = f"{o.rows} rows" if o.status == "updated" else ""
            print(f"  {sid:<22} {o.status:<10} {extra} ({o.seconds:.1f} s)")
    if result.published:
        print(f"published release {result.release.id} in {result.seconds:.1f} s: {result.release.path}")
        from etl.changes import load, summary

        rep = load(result.release)
        if rep is not None:
            print("\n".join(["changes:"] + summary(rep, revisions=3)) if not rep.get("error") else rep["error"])
    elif result.release:
        print(f"nothing new to publish; current release {result.release.id} ({result.seconds:.1f} s)")
    else:
        print("no release published yet", file=sys.stderr)


def _accept_shrink(p) -> None:
    p.add_argument("--accept-shrink", action="store_true",
                   help="publish a file that removes periods already published or more than "
                        "$BORDERSTATS_MAX_SHRINK percent (default 5) of a source's rows (recorded in the change report)")


def cmd_refresh(args, base: Path) -> int:
    from etl.fetch import HttpSettings
    from etl.pipeline import run
    from etl.progress import Progress

    if args.mirror and args.offline:
        raise SystemExit("borderstats refresh: error: --mirror and --offline are exclusive")
    # the progress file a dashboard over this data folder shows while its pages have no publisher's data yet
    observer = Progress(base, origin="cli", mirror=args.mirror is not None, offline=args.offline)
    result = run(base, source_ids=args.sources, mirror=args.mirror, offline=args.offline, force=args.force,
                 http=HttpSettings(timeout=args.timeout), progress=_progress_factory(),
                 accept_shrink=args.accept_shrink, observer=observer)
    _report(result)
    return result.exit_code


def cmd_ingest(args, base: Path) -> int:
    from etl.pipeline import run

    result = run(base, source_ids=[args.source_id], files=args.files, force=args.force,
                 accept_shrink=args.accept_shrink)
    _report(result)
    return result.exit_code


def cmd_doctor(args, base: Path) -> int:
    from etl import doctor, fetch
    from etl.registry import load_registry

    registry = load_registry()
    ids = args.sources or None
    if ids:
        registry.select(ids)  # an unknown id is an error naming the known ones, before any request
    if args.mirror is not None and not args.mirror.is_dir():
        print(f"borderstats doctor: error: --mirror {args.mirror} is not a folder", file=sys.stderr)
        return 2
    settings = fetch.HttpSettings(timeout=args.timeout, attempts=2, backoff=1.0)
    checks = doctor.run(registry, ids, mirror=args.mirror, settings=settings)
    if args.json:
        print(json.dumps([c.to_dict() for c in checks], indent=2, ensure_ascii=False))
    else:
        print("\n".join(doctor.text(checks)))
    return 1 if any(c.broken for c in checks) else 0


def cmd_status(args, base: Path) -> int:
    from etl.status import status

    st = status(base, failing_threshold=args.failing_after)
    if args.json:
        print(json.dumps(st, indent=2, ensure_ascii=False))
        return 0
    rel = st["release"]
    if rel:
        print(f"release {rel['id']} published {rel['published_at']}\n  {rel['path']}")
    else:
        print(f"no release yet: run `{commands.cli('refresh')}`")
    print(f"{'source':<22} {'status':<10} {'rows':>9}  {'retrieved':<20} {'age':>7}  error")
    for sid, s in st["sources"].items():
        flag = (f" (FAILING: {s['consecutive_failures']} refreshes in a row failed)" if s["failing"] else
                f" ({s['consecutive_failures']} failed in a row)" if s["consecutive_failures"] else "")
        age = f"{s['age_days']:.0f} d" if s.get("age_days") is not None else "-"
        print(f"{sid:<22} {s['status']:<10} {s['rows']:>9}  {s['retrieved_at'] or '-':<20} {age:>7}  "
              f"{(s['error'] or '') + flag}")
    return 0


def cmd_schedule(args, base: Path) -> int:
    from etl.fetch import HttpSettings
    from etl.registry import load_registry
    from etl.schedule import Scheduler, plan

    if args.cron and args.every:
        raise SystemExit("borderstats schedule: error: --cron and --every are exclusive")
    groups = plan(load_registry(), args.sources, cron=args.cron, every=args.every)
    sched = Scheduler(base, groups, mirror=args.mirror, http=HttpSettings(timeout=args.timeout),
                      run_now=args.run_now, failing_after=args.failing_after)
    return sched.run(max_runs=args.max_runs)


def cmd_changes(args, base: Path) -> int:
    from etl.changes import load, summary
    from etl.warehouse import Warehouse

    wh = Warehouse(base)
    release = wh.release(args.release) if args.release else wh.current()
    if release is None:
        print("borderstats changes: error: " + (f"no release {args.release}" if args.release else
              f"no release yet: run `{commands.cli('refresh')}`"), file=sys.stderr)
        return 2
    rep = load(release)
    if rep is None:
        print(f"borderstats changes: release {release.id} has no change report (published before reports existed)",
              file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(rep, indent=2, ensure_ascii=False))
    elif rep.get("error"):
        print(rep["error"])
    else:
        print("\n".join(summary(rep, revisions=args.revisions)))
    return 0


def cmd_validate(args, base: Path) -> int:
    from etl.checks import validate_all

    problems = validate_all(base, args.release, all_rows=args.all_rows)
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    if problems:
        return 1
    print("ok: registry, gazetteer and release tables are valid; the release's files match its datapackage.json")
    return 0


def cmd_extract(args, base: Path) -> int:
    import csv

    from etl.config import reference_dir
    from etl.errors import EtlError
    from etl.extractor.extract import explain, extract, parse_published, unmarked
    from etl.extractor.source import read_article
    from etl.gazetteer import Gazetteer

    try:
        published = parse_published(args.published)
    except ValueError:
        raise EtlError(f"--published {args.published!r} is not a date (YYYY-MM-DD)") from None
    if args.unmarked_only and args.rules_only:
        raise EtlError("--unmarked-only keeps the figures the learned models do not mark for review; "
                       "--rules-only leaves the models out, so nothing is marked")
    if args.unmarked_only and args.explain:
        raise EtlError("--explain shows every number and what is marked; --unmarked-only goes with json or csv")
    text, fetched_url = read_article(args.source, max_bytes=args.max_bytes)
    if args.explain:
        from etl.extractor.explain import report

        decisions = explain(text, Gazetteer.load(reference_dir()), published=published, title=args.title,
                            learned=not args.rules_only)
        if args.format == "json":
            print(json.dumps([d.to_dict() for d in decisions], indent=2, ensure_ascii=False))
        elif args.format in (None, "text"):
            print(report(decisions))
        else:
            raise EtlError("--explain prints text or json, not csv")
        kept = sum(d.kept for d in decisions)
        print(f"{len(decisions)} number(s): {kept} kept, {len(decisions) - kept} dropped", file=sys.stderr)
        return 0
    found = extract(text, Gazetteer.load(reference_dir()), published=published, title=args.title,
                    learned=not args.rules_only)
    marked = 0
    if args.unmarked_only:
        kept = unmarked(found)
        marked, found = len(found) - len(kept), kept
    extra = {k: v for k, v in (("url", args.url or fetched_url), ("publisher", args.publisher),
                               ("title", args.title), ("published", published.isoformat() if published else None))
             if v}
    rows = [{**c.to_dict(), **extra} for c in found]
    if args.format == "text":
        raise EtlError("--format text goes with --explain; candidates are json or csv")
    if args.format in (None, "json"):
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        fields = list(rows[0]) if rows else ["metric", "value", "qualifier", "place", "place_id", "quote"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} candidate figure(s)" + (f" ({marked} marked for review left out)" if args.unmarked_only
                                                 else ""), file=sys.stderr)
    return 0


def cmd_export(args, base: Path) -> int:
    from dashboard import i18n

    with i18n.using(args.lang):  # titles, notes, source lines and links of every file in that language
        return _export(args, base)


def _export(args, base: Path) -> int:
    from dashboard import data_access
    from dashboard.export import cli as export_cli

    if args.list:
        data_access.configure(base)
        print(export_cli.list_charts())
        return 0
    from dashboard.export.registry import CHARTS, BadRequest

    try:
        jobs = export_cli.pair_queries(args.plan, list(CHARTS) if args.all else None)
    except BadRequest as e:
        print(f"borderstats export: error: {e}", file=sys.stderr)
        return 2
    if not jobs:
        print("borderstats export: error: name a chart (--chart NAME; --list shows them) or use --all",
              file=sys.stderr)
        return 2
    data_access.configure(base)
    if data_access.current() is None:
        print(f"borderstats export: error: no release published under {base}; run `{commands.cli('refresh')}` first",
              file=sys.stderr)
        return 2
    if args.pin:
        from dashboard.export import pin

        codes = [pin.run(charts=[name], query=query, formats=args.format, size=args.size, scale=args.scale,
                         data_dir=base) for name, query in jobs]
        return max(codes)
    return export_cli.run(jobs=jobs, formats=args.format, size=args.size, scale=args.scale,
                          out=args.out, base_url=args.base_url, quiet=False)


def cmd_figures(args, base: Path) -> int:
    from etl.config import reference_dir
    from etl.extractor.curate import add
    from etl.gazetteer import Gazetteer

    target = args.file or reference_dir() / "reported_figures.csv"
    added, skipped = add(args.candidates, target, Gazetteer.load(reference_dir()))
    for s in skipped:
        print(f"skipped (already present): {s}", file=sys.stderr)
    print(f"added {len(added)} figure(s) to {target}" + (f": {', '.join(added)}" if added else ""))
    return 0


COMMANDS = {
    "doctor": cmd_doctor,
    "extract": cmd_extract,
    "figures": cmd_figures,
    "export": cmd_export,
    "changes": cmd_changes,
    "schedule": cmd_schedule,
    "sources": cmd_sources,
    "refresh": cmd_refresh,
    "ingest": cmd_ingest,
    "status": cmd_status,
    "validate": cmd_validate,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
