"""Every string is marked for translation and translated; the compiled catalogue is current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale/fr/LC_MESSAGES/django.po"
MO = ROOT / "locale/fr/LC_MESSAGES/django.mo"


def test_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po():
    po = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)).translated_entries()}
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO))}
    assert set(po) <= set(mo)
    for key, entry in po.items():
        if entry.msgid_plural:
            assert mo[key].msgstr_plural == {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            assert mo[key].msgstr == entry.msgstr, key


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Re-extract the strings in a copy of the project (gettext is installed by make test)."""
    copy = tmp_path / "project"
    for name in ("intrapreneur", "templates", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    for app in ("investigations", "products", "governance"):
        if (ROOT / app).is_dir():
            shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(copy / "manage.py"), "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(copy)},
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / PO.relative_to(ROOT)))}
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    assert sorted(extracted - ours, key=str) == []
