"""Checks of the translation files in i18n/ (no database needed).

The template i18n/crm_sales_target.pot is exported from a database by scripts/i18n.sh
(`make i18n`), which also merges it into the Chinese catalogues; these tests check that the
catalogues are complete and well formed against that template.
"""
import re
from pathlib import Path

import polib
import pytest

I18N = Path(__file__).resolve().parent.parent / "i18n"
POT = I18N / "crm_sales_target.pot"
LANGS = ("zh_CN", "zh_TW")

#: printf-style placeholders: %(name)s, %s, %d, ... (a literal "%%" is not one)
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
CJK = re.compile(r"[\u3400-\u9fff]")
# Characters that exist in one script only (each pair: Simplified, Traditional), common in this
# module's vocabulary: a Simplified one in zh_TW or a Traditional one in zh_CN is a slip.
SIMPLIFIED = (
    "这们个标实际计户务门发单销额达时设区级类项为与认订数据规则动"
    "态对报导关闭统读错误员团队线产进择处现资讯确记录间显图"
)
TRADITIONAL = (
    "這們個標實際計戶務門發單銷額達時設區級類項為與認訂數據規則動"
    "態對報導關閉統讀錯誤員團隊線產進擇處現資訊確記錄間顯圖"
)


def _load(path):
    assert path.is_file(), f"{path} is missing; run `make i18n`"
    return polib.pofile(str(path))


def _live(catalog):
    """Entries that count: not the header, not obsolete."""
    return [entry for entry in catalog if not entry.obsolete and entry.msgid]


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def test_pot_parses_and_is_not_empty():
    pot = _load(POT)
    entries = _live(pot)
    assert len(entries) > 100
    assert len({e.msgid for e in entries}) == len(entries), "duplicate msgids in the template"
    assert all(not e.msgstr for e in entries), "the template must not carry translations"


@pytest.mark.parametrize("lang", LANGS)
def test_po_parses_with_headers(lang):
    po = _load(I18N / f"{lang}.po")
    assert po.metadata.get("Language") == lang
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert po.encoding.lower().replace("-", "") == "utf8"


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_translated(lang):
    pot_ids = {e.msgid for e in _live(_load(POT))}
    po = {e.msgid: e for e in _live(_load(I18N / f"{lang}.po"))}
    missing = sorted(pot_ids - set(po))
    assert not missing, f"{lang}.po lacks {len(missing)} msgids of the template (run `make i18n`): {missing[:5]}"
    untranslated = sorted(m for m in pot_ids if not po[m].msgstr.strip())
    assert not untranslated, f"{lang}.po leaves {len(untranslated)} msgids untranslated: {untranslated[:5]}"
    fuzzy = sorted(m for m in pot_ids if "fuzzy" in po[m].flags)
    assert not fuzzy, f"{lang}.po has fuzzy entries: {fuzzy[:5]}"
    stale = sorted(set(po) - pot_ids)
    assert not stale, f"{lang}.po has entries no longer in the template (run `make i18n`): {stale[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_markup_kept(lang):
    errors = []
    for entry in _live(_load(I18N / f"{lang}.po")):
        if not entry.msgstr:
            continue
        if _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            errors.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
        if entry.msgid.count("%%") != entry.msgstr.count("%%"):
            errors.append(f"'%%' differs: {entry.msgid!r} -> {entry.msgstr!r}")
        if sorted(HTML_TAG.findall(entry.msgid)) != sorted(HTML_TAG.findall(entry.msgstr)):
            errors.append(f"HTML tags differ: {entry.msgid!r} -> {entry.msgstr!r}")
        if entry.msgid.count("\n") != entry.msgstr.count("\n"):
            errors.append(f"line breaks differ: {entry.msgid!r} -> {entry.msgstr!r}")
    assert not errors, "\n".join(errors)


def test_zh_tw_is_not_a_copy_of_zh_cn():
    zh_cn = {e.msgid: e.msgstr for e in _live(_load(I18N / "zh_CN.po")) if e.msgstr}
    zh_tw = {e.msgid: e.msgstr for e in _live(_load(I18N / "zh_TW.po")) if e.msgstr}
    chinese = [m for m, text in zh_cn.items() if CJK.search(text) and m in zh_tw]
    assert chinese, "no Chinese translation found"
    differ = [m for m in chinese if zh_cn[m] != zh_tw[m]]
    assert len(differ) >= 0.5 * len(chinese), (
        f"only {len(differ)} of {len(chinese)} zh_TW translations differ from zh_CN")


@pytest.mark.parametrize("lang, foreign", [("zh_CN", TRADITIONAL), ("zh_TW", SIMPLIFIED)], ids=LANGS)
def test_script_matches_language(lang, foreign):
    slips = [(e.msgid, e.msgstr) for e in _live(_load(I18N / f"{lang}.po"))
             if any(char in foreign for char in e.msgstr)]
    assert not slips, f"{lang}.po uses characters of the other script: {slips[:5]}"
