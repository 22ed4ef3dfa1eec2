"""Translations (issue 23, point 5): every translatable string of the source (found with ast:
tr(), _(), _n(), N_(), QCoreApplication.translate()) has a non-empty Spanish translation with the
same format fields; the Qt-free core speaks the chosen language with its number separators and
stays English with locale-independent numbers until a language is chosen (CLI, files, JSON)."""

import json

import pytest

from disagg_viz import i18n
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.metric_registry import METRICS, format_ms
from disagg_viz.tools import translations


@pytest.fixture
def spanish():
    i18n.set_language("es", group=".", decimal=",")
    yield
    i18n.set_language("en")


def test_the_source_has_translatable_strings_in_every_layer():
    found = translations.source_strings()
    files = {f.where.split(":")[0] for f in found}
    assert len({f.text for f in found}) > 300
    for module in ("disagg_viz/ui/window_menus.py", "disagg_viz/ui/controls.py", "disagg_viz/ui/scoreboard.py",
                   "disagg_viz/ui/lesson_panel.py", "disagg_viz/playback/vocabulary.py",
                   "disagg_viz/playback/narration.py", "disagg_viz/sim/metric_registry.py",
                   "disagg_viz/playback/description.py"):
        assert module in files, module


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.SOURCE_LANGUAGE])
def test_every_translatable_string_is_translated_with_the_same_fields(language):
    assert translations.problems(language) == []


def test_the_check_finds_a_missing_translation_changed_fields_an_fstring_and_an_unused_entry(tmp_path, monkeypatch):
    pkg = tmp_path / "disagg_viz"
    pkg.mkdir()
    (pkg / "m.py").write_text('tr("Open")\n_("{n} waiting")\nN_("Fresh")\n_n("{n} tray", "{n} trays", 2)\n'
                              'QCoreApplication.translate("ctx", "Save")\ntr(f"{x} late")\nname = tr(variable)\n')
    found = {f.text for f in translations.scan((pkg / "m.py").read_text(), "m.py")}
    assert found == {"Open", "{n} waiting", "Fresh", "{n} tray", "{n} trays", "Save", None}
    entries = {"Open": "Abrir", "{n} waiting": "{count} en espera", "Fresh": " ", "{n} tray": "{n} bandeja",
               "{n} trays": "{n} bandejas", "Save": "Guardar", "Gone": "Ido"}
    monkeypatch.setattr(i18n, "catalogue", lambda language: entries)
    found = translations.problems("xx", pkg)
    assert any("f-string" in p for p in found)
    assert any("fields differ" in p and "{n} waiting" in p for p in found)
    assert any("no xx translation of 'Fresh'" in p for p in found)
    assert any("'Gone' is not used" in p for p in found)
    assert len(found) == 4


def test_the_catalogue_is_valid_json_keyed_by_english():
    data = json.loads((i18n.CATALOGUE_DIR / "es.json").read_text(encoding="utf-8"))
    assert data["&File"] == "&Archivo" and all(isinstance(v, str) for v in data.values())


def test_english_until_a_language_is_chosen_numbers_locale_independent():
    assert i18n.language() == "en"
    assert i18n._("&File") == "&File"
    assert i18n.num(1234567.5, ",.1f") == "1,234,567.5"
    assert format_ms(2345.0) == "2.3 s" and METRICS["throughput"].text(12345.0) == "12.3k tok/s"
    assert Vocabulary("kitchen").prep_text(12000, 3) == "prepping 12,000 tokens (3 orders)"


def test_spanish_words_numbers_and_plurals(spanish):
    assert i18n._("&File") == "&Archivo"
    assert i18n._("not in the catalogue") == "not in the catalogue"
    assert i18n.num(1234567.5, ",.1f") == "1.234.567,5"
    assert format_ms(2345.0) == "2,3 s" and METRICS["attainment"].text(90.8) == "90,8%"
    assert METRICS["throughput"].text(12345.0) == "12,3k tok/s"
    kitchen = Vocabulary("kitchen")
    assert kitchen.prep_text(12000, 1) == "preparando 12.000 tokens (1 pedido)"
    assert kitchen.prep_text(12000, 3) == "preparando 12.000 tokens (3 pedidos)"
    assert kitchen.count(1, "seats") == "1 asiento" and kitchen.count(4, "seats") == "4 asientos"
    assert Vocabulary("serving").word("pass") == "Enlace KV"
    assert i18n._(METRICS["stall_max"].label) == "Peor bloqueo"


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="'xx' is not available; choose one of en, es"):
        i18n.set_language("xx")
    assert i18n.language() == "en"
