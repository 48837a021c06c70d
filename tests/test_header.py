import pytest

from newsdedup.config import DEFAULT_WIRE_AGENCIES as AGENCIES
from newsdedup.header import byline, credit_line, date_header, dateline, parse_timestamp, timestamp_line


@pytest.mark.parametrize("line, iso", [
    ("2024.10.24 12:34", "2024-10-24T12:34"),
    ("Updated: OCTOBER 24, 2024 19:25", "2024-10-24T19:25"),
    ("October 24, 2024", "2024-10-24"),
    ("10/24/2024 07:13 PM", "2024-10-24T19:13"),
    ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01"),
    ("24 de outubro de 2024", "2024-10-24"),
    ("Publié le 3 mars 2024 à 10h05", "2024-03-03"),
])
def test_timestamp_lines(line, iso):
    stamp = timestamp_line(line)
    assert stamp is not None and stamp.iso.startswith(iso)


def test_a_sentence_with_a_date_is_not_a_timestamp_line():
    assert timestamp_line("Putin said on October 24, 2024 that the images were serious.") is None
    assert parse_timestamp("Putin said on October 24, 2024 that") is not None


def test_date_header_and_bylines():
    assert date_header(" date 2024-10-24 Jerusalem Post") == ("2024-10-24", "Jerusalem Post")
    assert byline("By REUTERS") == "REUTERS"
    assert byline("Por Maria Souza") == "Maria Souza"
    assert byline("By the way, this is a whole sentence that ends.") is None


def test_datelines_with_and_without_agency():
    text, credit = dateline("KAZAN, Russia (Reuters) -President Vladimir Putin", AGENCIES)
    assert text == "KAZAN, Russia (Reuters) -" and credit.agency == "Reuters" and credit.kind == "dateline"
    text, credit = dateline("WASHINGTON (AP) — The Senate", AGENCIES)
    assert credit.agency == "AP"
    text, credit = dateline("SALVADOR, Feb 26 - Showers continued", AGENCIES)
    assert credit is None and text.startswith("SALVADOR")
    assert dateline("President Vladimir Putin - said", AGENCIES) is None
    assert dateline("LONDON (Some Blog) - text", AGENCIES) is None
    text, credit = dateline("Louisville, Mar 30 (Reuters/Harian Kita) - Steel Technologies said", AGENCIES)
    assert text.startswith("Louisville") and credit.agency == "Reuters"
    assert dateline("The company (Reuters) - said", AGENCIES) is None
    assert dateline("Putin said the move (which AP reported) - was", AGENCIES) is None


def test_credit_lines_but_not_photo_captions():
    assert credit_line("© Reuters", AGENCIES).agency == "Reuters"
    assert credit_line("— AFP", AGENCIES).agency == "AFP"
    assert credit_line("© Reuters. Russian President Vladimir Putin speaks at a summit", AGENCIES) is None


def test_photographer_credit_is_case_sensitive():
    from newsdedup.header import is_photo_credit
    assert is_photo_credit("Putin speaks in Kazan. REUTERS/Maxim Shemetov")
    assert not is_photo_credit("New York, Feb 26 (Reuters/NewsPile Aggregator) - ChemLawn Corp could attract a bid")
