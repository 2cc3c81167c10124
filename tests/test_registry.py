"""The sources registry and the bundled reference data."""
import importlib

import pytest

from etl.adapters import adapter_names, get_adapter
from etl.errors import EtlError
from etl.registry import load_registry

PUBLIC_IDS = ["cbp_encounters", "ohss_usbp_encounters", "usbp_history", "inegi_homicides", "conapo_population",
              "iom_missing_migrants", "pcome_remains", "sesnsp_state_victims", "reported_figures", "policy_events"]


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
