"""The client list: every client of the caseload, paged with a count, filtered by language
and interpreting, most recently seen first."""

import re

import pytest

from interpreter_support.clinic import queries


@pytest.fixture
def caseload(build):
    site = build.site()
    clinician = build.user("clinician", site)
    interpreter = build.interpreter(site, languages=("ar", "en"))
    clients = {}
    # 120 clients, more than the old silent cap of 100; every third speaks Dari
    for index in range(120):
        code = f"C-{index:03d}"
        clients[code] = build.client(site, language="fa_AF" if index % 3 == 0 else "ar",
                                     code=code)
    seen = {"C-005": 3, "C-050": 9, "C-100": 1}  # session number = day in January
    for code, day in seen.items():
        episode = build.episode(clients[code])
        build.session(episode, clinician, day, "telephone" if code == "C-050" else "none",
                      interpreter if code == "C-050" else None)
    build.client(build.site(), code="ELSEWHERE")
    return {"clinician": clinician, "clients": clients}


def _codes(page: str) -> list[str]:
    return re.findall(r'<bdi class="code">([^<]+)</bdi>', page)


def test_every_client_is_counted_and_paged_most_recently_seen_first(caseload, login):
    web = login(caseload["clinician"])
    first = web.get("/clinic/clients").get_data(as_text=True)
    assert "120 clients" in first and "page 1 of 3" in first
    codes = _codes(first)
    assert len(codes) == queries.CLIENTS_PER_PAGE
    assert codes[:3] == ["C-050", "C-005", "C-100"]  # by last session, then never seen
    assert codes[3] == "C-000"
    pages = [codes] + [_codes(web.get(f"/clinic/clients?page={n}").get_data(as_text=True))
                       for n in (2, 3)]
    every = [code for page in pages for code in page]
    assert len(every) == len(set(every)) == 120 and "ELSEWHERE" not in every
    assert 'rel="next"' in first and 'rel="prev"' not in first


def test_filters_by_language_and_interpreting(caseload, login):
    web = login(caseload["clinician"])
    dari = web.get("/clinic/clients?language=fa_AF").get_data(as_text=True)
    assert "40 clients" in dari and set(_codes(dari)) == {
        f"C-{i:03d}" for i in range(0, 120, 3)}
    telephone = web.get("/clinic/clients?interpreting=telephone").get_data(as_text=True)
    assert _codes(telephone) == ["C-050"] and "1 client" in telephone
    both = web.get("/clinic/clients?interpreting=telephone&language=fa_AF&q=05")
    assert "No client matches these filters." in both.get_data(as_text=True)
    paged = web.get("/clinic/clients?language=ar&page=2").get_data(as_text=True)
    assert "language=ar" in paged and "80 clients" in paged


@pytest.mark.parametrize("query, status", [
    ("interpreting=smoke", 400), ("page=0", 400), ("page=-1", 400), ("page=4", 404),
])
def test_bad_list_requests_are_refused(caseload, login, query, status):
    web = login(caseload["clinician"])
    assert web.get(f"/clinic/clients?{query}").status_code == status
