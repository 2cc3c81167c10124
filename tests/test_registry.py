"""The sources registry and the bundled reference data."""
import importlib

import pytest

from etl.adapters import Context, adapter_names, get_adapter
from etl.errors import EtlError
from etl.registry import load_registry

PUBLIC_IDS = ["cbp_encounters", "ohss_usbp_encounters", "usbp_history", "inegi_homicides", "conapo_population",
              "iom_missing_migrants", "pcome_remains", "sesnsp_state_victims", "cbp_mpp", "reported_figures", "policy_events"]


def test_registry_declares_the_public_source_ids():
    reg = load_registry()
    assert reg.ids() == PUBLIC_IDS
    for src in reg:
        assert src.publisher and src.licence and src.citation and src.landing_page
        assert src.files or src.local
        # the adapter's name is its module's name: no mapping table between them
        assert src.adapter in adapter_names()
        assert get_adapter(src.adapter) is importlib.import_module(f"etl.adapters.{src.adapter}").parse


def test_helper_modules_are_not_adapters():
    assert "curated" not in adapter_names() and "deaths" not in adapter_names()
    with pytest.raises(KeyError, match="unknown adapter"):
        get_adapter("../cli")


def test_personal_data_is_declared_for_the_medical_examiner():
    assert load_registry()["pcome_remains"].personal_data_columns == ("Name",)


def test_registry_errors_are_clear(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "x"\npublisher = "p"\n')
    with pytest.raises(EtlError, match="missing title"):
        load_registry(bad)
    bad.write_text('[[source]]\nid="x"\npublisher="p"\ntitle="t"\nlanding_page="l"\nlicence="l"\ncitation="c"\n'
                   'adapter="nope"\ntables=["encounters"]\nlocal="f.csv"\n')
    with pytest.raises(EtlError, match="unknown adapter"):
        load_registry(bad)


# ---- datasets are declared once, in the registry -------------------------------------------------------

from etl.schema import TABLES  # noqa: E402
from tests.conftest import FIXTURES  # noqa: E402

SOURCE_HEAD = ('[[source]]\nid="{id}"\npublisher="p"\ntitle="t"\nlanding_page="l"\nlicence="l"\ncitation="c"\n'
               'adapter="cbp_encounters"\ntables=["encounters"]\nlocal="f.csv"\n')
DATASET = ('[[source.datasets]]\nid="{id}"\ntable="{table}"\nlabel="L"\ndescription="D"\nunit="people"\n'
           'counted="C"\n')


def test_every_source_has_one_attribution_and_described_datasets():
    reg = load_registry()
    for src in reg:
        assert src.attribution, src.id
        assert len({d.id for d in src.datasets}) == len(src.datasets)
        for d in src.datasets:
            assert d.table in src.tables and "dataset" in TABLES[d.table].fields
            assert d.label and d.description and d.unit and d.counted
    # the INEGI compiler is spelled one way, in the registry
    assert reg["inegi_homicides"].attribution == "INEGI death certificates, compiled by Gargiulo et al."
    # the places the pipeline builds from the bundled gazetteer are described too
    assert reg.datasets()["gazetteer"].table == "places" and reg.datasets()["gazetteer"].source_id is None


def test_dataset_errors_are_clear(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text(SOURCE_HEAD.format(id="x") + DATASET.format(id="d", table="nope"))
    with pytest.raises(EtlError, match="unknown table 'nope'"):
        load_registry(bad)
    bad.write_text(SOURCE_HEAD.format(id="x") + DATASET.format(id="d", table="homicides"))
    with pytest.raises(EtlError, match="not among the source's tables"):
        load_registry(bad)
    bad.write_text(SOURCE_HEAD.format(id="x") + DATASET.format(id="d", table="encounters")
                   + SOURCE_HEAD.format(id="y") + DATASET.format(id="d", table="encounters"))
    with pytest.raises(EtlError, match=r"source #2 \(y\): dataset #1 \(d\): duplicate dataset id 'd' \(also declared by x\)"):
        load_registry(bad)
    bad.write_text(SOURCE_HEAD.format(id="x") + DATASET.format(id="d", table="encounters").replace('unit="people"\n', ""))
    with pytest.raises(EtlError, match="missing unit"):
        load_registry(bad)


def _fixture_files(source_id: str) -> list:
    src = load_registry()[source_id]
    if src.local:
        return [src.local_path()]
    folder = FIXTURES / source_id
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@pytest.mark.parametrize("source_id", PUBLIC_IDS)
def test_every_dataset_an_adapter_produces_is_declared(source_id, ctx, tmp_path):
    """Each source's adapter run on its fixtures (tests/fixtures/<source>/; the curated file for a local
    source; a built workbook for OHSS, which has no fixture file): every dataset it writes into a
    `dataset` column is declared for that source, with that table."""
    src = load_registry()[source_id]
    files = _fixture_files(source_id)
    if source_id == "ohss_usbp_encounters":
        from tests.test_adapter_ohss import tiny_gazetteer, workbook
        files, ctx = [workbook(tmp_path)], Context(tiny_gazetteer())
    assert files, f"no fixture for {source_id}"
    declared = {d.id: d.table for d in src.datasets}
    produced = set()
    for path in files:
        for parsed in get_adapter(src.adapter)(path, ctx):
            assert parsed.table in src.tables
            if "dataset" in TABLES[parsed.table].fields:
                assert declared.get(parsed.dataset) == parsed.table, (path.name, parsed.dataset, declared)
                produced.add(parsed.dataset)
    if any("dataset" in TABLES[t].fields for t in src.tables):
        assert produced, source_id


def test_a_file_format_is_data_or_html(tmp_path):
    """`format = "html"` marks a web page whose tables are the data (CBP's MPP pages); anything else is a typo."""
    entry = ('[[source]]\nid="x"\npublisher="P"\ntitle="T"\nlanding_page="https://example.org/"\nlicence="L"\n'
             'citation="C {{retrieved}}"\nadapter="cbp_mpp"\ntables=["mpp_enrollments"]\n'
             '[[source.files]]\nkey="page"\nurl="https://example.org/page"\nformat="{fmt}"\n')
    path = tmp_path / "sources.toml"
    path.write_text(entry.format(fmt="html"))
    assert load_registry(path)["x"].files[0].html
    path.write_text(entry.format(fmt="htm"))
    with pytest.raises(EtlError, match=r"file 'page': format must be \"data\" or \"html\""):
        load_registry(path)


def test_discovery_fallback_pages_are_a_list_of_addresses(tmp_path):
    """`discover.fallback_pages`: earlier addresses of a landing page the publisher moved, tried in order."""
    entry = ('[[source]]\nid="x"\npublisher="P"\ntitle="T"\nlanding_page="https://example.org/"\nlicence="L"\n'
             'citation="C {{retrieved}}"\nadapter="cbp_encounters"\ntables=["encounters"]\n'
             '[[source.files]]\nkey="f"\ndiscover = {{ page = "https://example.org/new", pattern = "\\\\.csv", '
             '{extra} }}\n')
    path = tmp_path / "sources.toml"
    path.write_text(entry.format(extra='fallback_pages = ["https://example.org/old"]'))
    assert load_registry(path)["x"].files[0].discover_pages == ("https://example.org/new", "https://example.org/old")
    path.write_text(entry.format(extra='fallback_pages = "https://example.org/old"'))
    with pytest.raises(EtlError, match="fallback_pages must be a list of URLs"):
        load_registry(path)
    path.write_text(entry.format(extra='fallbacks = ["https://example.org/old"]'))
    with pytest.raises(EtlError, match=r"unknown discover keys \['fallbacks'\]"):
        load_registry(path)
