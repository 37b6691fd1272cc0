import pytest

from interpreter_support.i18n.locales import LOCALES, normalise


def test_fourteen_locales_six_right_to_left():
    assert len(LOCALES) == 14
    assert sorted(loc.code for loc in LOCALES if loc.direction == "rtl") == [
        "ar", "ckb", "fa", "fa_AF", "ps", "ur"]


@pytest.mark.parametrize("raw, code", [("fa-AF", "fa_AF"), ("zh-hans", "zh_Hans"),
                                        ("EN", "en"), ("xx", None), ("", None)])
def test_language_tags_are_normalised(raw, code):
    assert normalise(raw) == code


def test_lang_query_sets_and_remembers_the_locale(client):
    page = client.get("/login?lang=fa_AF").get_data(as_text=True)
    assert '<html lang="fa-AF" dir="rtl">' in page
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="fa-AF" dir="rtl">' in page  # remembered for the visit


def test_accept_language_is_used_when_nothing_else_says(client):
    page = client.get("/login", headers={"Accept-Language": "ps, en;q=0.5"}).get_data(
        as_text=True)
    assert '<html lang="ps" dir="rtl">' in page


def test_language_switch_lists_endonyms_with_lang_and_hreflang(client):
    page = client.get("/login").get_data(as_text=True)
    for loc in LOCALES:
        assert f'lang="{loc.tag}" hreflang="{loc.tag}"' in page
        assert loc.endonym in page
