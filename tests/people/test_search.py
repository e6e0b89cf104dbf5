import pytest

from lotsen.people.selectors import SearchInputError, parse_query
from tests.factories import PersonFactory


def test_parse_query_accepts_10_and_12_digits_and_names():
    assert parse_query("19121212-1212").pnr == "191212121212"
    assert parse_query("121212-1212").pnr is not None
    q = parse_query("andersson  anna 1985")
    assert q.words == ("ANDERSSON", "ANNA") and q.birth_year == 1985


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Ange personnummer eller namn"),
        ("12345", "10 eller 12 siffror"),
        ("19121212-1213", "stämmer inte"),
        ("1985", "minst ett namn"),
        ("A", "minst två bokstäver"),
    ],
)
def test_parse_query_errors_are_swedish(text, message):
    with pytest.raises(SearchInputError, match=message):
        parse_query(text)


@pytest.mark.django_db
def test_search_by_number_name_and_birth_year(caseworker, login):
    import datetime as dt

    target = PersonFactory(first_name="Agnes", last_name="Bergqvist", birth_date=dt.date(1985, 4, 2))
    PersonFactory(first_name="Agnes", last_name="Bergqvist", birth_date=dt.date(1990, 1, 1))
    client = login(caseworker)
    assert f"/personer/{target.pk}/" in client.post("/personer/sok/", {"query": target.pnr}).content.decode()
    ten = f"{target.pnr[2:8]}-{target.pnr[8:]}"
    assert f"/personer/{target.pk}/" in client.post("/personer/sok/", {"query": ten}).content.decode()
    html = client.post("/personer/sok/", {"query": "bergq agn 1985"}).content.decode()
    assert html.count("/personer/") - html.count("/personer/sok/") - html.count("/personer/nodatkomst/") == 1


@pytest.mark.django_db
def test_search_is_a_post_and_get_shows_only_the_form(caseworker, login):
    response = login(caseworker).get("/personer/sok/?query=Andersson")
    assert response.status_code == 200
    assert "personer hittades" not in response.content.decode()


@pytest.mark.django_db
def test_invalid_search_shows_error_summary(caseworker, login):
    response = login(caseworker).post("/personer/sok/", {"query": "19121212-1213"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Det finns ett problem" in html and "Kontrollera de fyra sista siffrorna" in html
