"""Dates as news pages print them: offsets kept and compared as instants, day-first and other-language
forms read, and an all-numeric date whose day and month could swap resolved or reported as ambiguous."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from newsdedup.canonical import Candidate, choose_canonical
from newsdedup.clean import clean
from newsdedup.cli import main
from newsdedup.config import CanonicalSettings, Config, VerifySettings
from newsdedup import _core
from newsdedup.dates import days_between, parse_timestamp, timestamp_line, utc_days
from newsdedup.fingerprint import core_arguments
from newsdedup.models import Article, Document
from newsdedup.verify import pair_bytes, verified_links
from newsdedup.webpage import read_page
from labelled import WIRE

CONFIG = Config()
UNDATED = [paragraph for paragraph in WIRE if "2024" not in paragraph]  # one caption says "October 24, 2024"
BODY = "\n\n".join(UNDATED)


def _iso(text, **hint):
    stamp = parse_timestamp(text, **hint)
    return stamp.iso if stamp else None


# --- offsets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("2024-10-24T23:30:00-05:00", "2024-10-24T23:30:00-05:00"),
    ("2024-10-25T01:00:00Z", "2024-10-25T01:00:00Z"),
    ("2024-10-25T01:00:00+00:00", "2024-10-25T01:00:00+00:00"),
    ("2024-10-24T15:02:00.000+0200", "2024-10-24T15:02:00+02:00"),
    ("2024-10-24 15:02 +02", "2024-10-24T15:02+02:00"),
    ("Thu, 24 Oct 2024 10:15:00 +0000", "2024-10-24T10:15:00+00:00"),
    ("Thu Oct 24 2024 15:02:00 GMT+0200 (Central European Summer Time)", "2024-10-24T15:02:00+02:00"),
])
def test_offsets_are_kept_as_given(text, iso):
    assert _iso(text) == iso


@pytest.mark.parametrize("line, iso", [
    ("Updated: October 24, 2024 10:15 GMT", "2024-10-24T10:15Z"),
    ("October 24, 2024 7:13 PM EDT", "2024-10-24T19:13-04:00"),
    ("Oct. 24, 2024 at 7:13 p.m. ET", "2024-10-24T19:13"),
    ("2024-10-24 12:34 UTC+2", "2024-10-24T12:34+02:00"),
    ("24/10/2024 12:34 GMT+5:30", "2024-10-24T12:34+05:30"),
    ("24.10.2024, 12:34 Uhr MESZ", "2024-10-24T12:34+02:00"),
    ("Kamis, 24 Okt 2024 12:34 WIB", "2024-10-24T12:34+07:00"),
    ("24 October 2024 10:15 BST", "2024-10-24T10:15+01:00"),
    ("2024.10.24 12:34 UTC", "2024-10-24T12:34Z"),
    # The time before the date, as many sites print it.
    ("Updated 7:13 PM EDT, Thu October 24, 2024", "2024-10-24T19:13-04:00"),
    ("12:34, 24 octubre 2024", "2024-10-24T12:34"),
    ("14:32 | 24.10.2024", "2024-10-24T14:32"),
])
def test_header_lines_with_zones(line, iso):
    stamp = timestamp_line(line)
    assert stamp is not None and stamp.iso == iso


def test_seconds_are_kept_when_given_and_fractions_dropped():
    assert _iso("2024-10-24 12:34:56") == "2024-10-24T12:34:56"
    assert _iso("26-FEB-1987 15:01:01.79") == "1987-02-26T15:01:01"
    assert _iso("2024.10.24 12:34") == "2024-10-24T12:34"


def _candidate(article_id, published, words=100):
    document = Document(id=article_id, path=article_id, body="", body_chars=0, title=None, source=None, url=None,
                        published=published, byline=None, dateline=None, wire_credit=None, encoding="utf-8",
                        total_chars=0, boilerplate_chars_removed=0)
    return Candidate(document, words, 0.5)


def _earliest(*published):
    members = [_candidate(f"a{i}", stamp) for i, stamp in enumerate(published)]
    winner, reasons = choose_canonical(members, CanonicalSettings(criteria=["earliest_published"]))
    return winner, reasons


def test_the_earliest_instant_is_canonical_whatever_the_offsets():
    # 23:30 at -05:00 is 04:30 UTC on the 25th: later than 01:00 UTC.
    winner, reasons = _earliest("2024-10-24T23:30:00-05:00", "2024-10-25T01:00:00Z")
    assert winner == 1 and reasons[0].decisive
    winner, _ = _earliest("2024-10-25T06:00+09:00", "2024-10-24T22:00Z")  # 21:00 UTC on the 24th
    assert winner == 0


def test_a_date_compares_with_an_instant_on_its_utc_day():
    # The same UTC day: a tie, decided by the next criterion (here the first id).
    winner, reasons = _earliest("2024-10-25", "2024-10-24T23:30:00-05:00")
    assert winner == 0 and reasons[-1].criterion == "first_id"
    winner, _ = _earliest("2024-10-25", "2024-10-24T20:00:00-05:00")  # 01:00 UTC on the 25th
    assert winner == 0
    winner, _ = _earliest("2024-10-25", "2024-10-24T18:00:00-05:00")  # 23:00 UTC on the 24th
    assert winner == 1


def test_times_compare_at_the_precision_both_have():
    winner, reasons = _earliest("2024-10-24T12:34:59", "2024-10-24T12:34")
    assert winner == 0 and reasons[-1].criterion == "first_id"
    winner, _ = _earliest("2024-10-24T12:34:59", "2024-10-24T12:34:10")
    assert winner == 1


def test_a_value_that_is_not_a_date_counts_as_undated():
    winner, _ = _earliest("1 week ago", "2024-10-24T12:34")
    assert winner == 1
    assert days_between("1 week ago", "2024-10-24") is None


def test_days_apart_counts_utc_days():
    assert days_between("2024-10-24T23:30:00-05:00", "2024-10-25T01:00:00Z") == 0
    assert days_between("2024-10-21T23:30-05:00", "2024-10-25T01:00Z") == 3
    assert days_between("2024-10-24", "2024-10-27T12:00+14:00") == 2
    published = ["2024-10-21T23:30-05:00", "2024-10-25T01:00Z", "2024-10-28T12:00Z", None, "1 week ago"]
    pairs = [(0, 1), (0, 2), (1, 2), (0, 3), (0, 4)]
    days = utc_days(published)
    assert (days[1] - days[0], days[2] - days[0], days[2] - days[1], days[3], days[4]) == (3, 6, 3, None, None)
    # Five copies of one story: three UTC days apart is within three; an undated article is never too far.
    story = " ".join(f"Sentence {n} of the story says the Norland central bank moved its rate." for n in range(12))
    store = _core.FingerprintStore()
    store.append_batch(_core.fingerprint_batch([story] * 5, *core_arguments(Config().fingerprint)))
    linked = verified_links(pair_bytes(pairs), store, days, VerifySettings(max_days_apart=3)).matches()
    assert [(match.left, match.right) for match in linked] == [(0, 1), (1, 2), (0, 3), (0, 4)]
    linked = verified_links(pair_bytes(pairs), store, days, VerifySettings(max_days_apart=0)).matches()
    assert [(match.left, match.right) for match in linked] == pairs


UTC_MOMENTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0))
OFFSETS = st.integers(min_value=-12 * 4, max_value=14 * 4).map(lambda quarters: timedelta(minutes=15 * quarters))


def _written(moment, offset):
    local = moment.replace(tzinfo=timezone.utc).astimezone(timezone(offset))
    return local.isoformat(timespec="minutes")


@settings(max_examples=200, deadline=None)
@given(first=UTC_MOMENTS, second=UTC_MOMENTS, first_offset=OFFSETS, second_offset=OFFSETS)
def test_order_and_days_follow_the_utc_instants(first, second, first_offset, second_offset):
    a, b = _written(first, first_offset), _written(second, second_offset)
    assert _iso(a) == a
    winner, _ = _earliest(_iso(a), _iso(b))
    if first != second:
        assert winner == (0 if first < second else 1)
    assert days_between(_iso(a), _iso(b)) == abs((first.date() - second.date()).days)


# --- day-first and other-language forms -----------------------------------------------------------

@pytest.mark.parametrize("line, iso", [
    ("24.10.2024", "2024-10-24"),
    ("24/10/2024", "2024-10-24"),
    ("24-10-2024", "2024-10-24"),
    ("24.10.2024 12:34", "2024-10-24T12:34"),
    ("24. Oktober 2024", "2024-10-24"),
    ("Donnerstag, 24. Oktober 2024, 12:34 Uhr", "2024-10-24T12:34"),
    ("Aktualisiert am 24.10.2024 um 12:34 Uhr", "2024-10-24T12:34"),
    ("24 de outubro de 2024", "2024-10-24"),
    ("Publicado em 24 de outubro de 2024 às 12h34", "2024-10-24T12:34"),
    ("quinta-feira, 24 de outubro de 2024", "2024-10-24"),
    ("24 de octubre de 2024", "2024-10-24"),
    ("jueves, 24 de octubre de 2024, 12:34", "2024-10-24T12:34"),
    ("le 24 octobre 2024", "2024-10-24"),
    ("Publié le 3 mars 2024 à 10h05", "2024-03-03T10:05"),
    ("jeudi 1er février 2024", "2024-02-01"),
    ("24 ottobre 2024 ore 12:34", "2024-10-24T12:34"),
    ("giovedì 24 ottobre 2024", "2024-10-24"),
    ("24 oktober 2024 om 12:34", "2024-10-24T12:34"),
    ("donderdag 3 mrt. 2024", "2024-03-03"),
    ("Kamis, 24 Oktober 2024 pukul 12.34 WIB", "2024-10-24T12:34+07:00"),
    ("12 Agu 2024", "2024-08-12"),
    ("5 dic. 2024", "2024-12-05"),
    ("24 févr. 2024", "2024-02-24"),
    ("24 okt. 2024", "2024-10-24"),
    ("24th October 2024", "2024-10-24"),
    ("Thursday 24 October 2024", "2024-10-24"),
    ("Thursday, October 24, 2024", "2024-10-24"),
])
def test_day_first_and_other_language_lines(line, iso):
    stamp = timestamp_line(line)
    assert stamp is not None and stamp.iso == iso and not stamp.ambiguous


# Month names from the CLDR (wide and abbreviated forms), not from the parser's own table.
CLDR_MONTHS = {
    "en": ["January February March April May June July August September October November December",
           "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"],
    "es": ["enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
           "ene feb mar abr may jun jul ago sept oct nov dic"],
    "pt": ["janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
           "jan fev mar abr mai jun jul ago set out nov dez"],
    "fr": ["janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
           "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc."],
    "it": ["gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
           "gen feb mar apr mag giu lug ago set ott nov dic"],
    "de": ["Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
           "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez."],
    "id": ["Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
           "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des"],
    "nl": ["januari februari maart april mei juni juli augustus september oktober november december",
           "jan. feb. mrt. apr. mei jun. jul. aug. sep. okt. nov. dec."],
}
DAY_MONTH_YEAR = {"en": "{d} {m} {y}", "es": "{d} de {m} de {y}", "pt": "{d} de {m} de {y}", "fr": "{d} {m} {y}",
                  "it": "{d} {m} {y}", "de": "{d}. {m} {y}", "id": "{d} {m} {y}", "nl": "{d} {m} {y}"}


@pytest.mark.parametrize("language", sorted(CLDR_MONTHS))
def test_every_month_name_of_every_language(language):
    for names in CLDR_MONTHS[language]:
        for number, name in enumerate(names.split(), start=1):
            text = DAY_MONTH_YEAR[language].format(d=7, m=name, y=2024)
            assert _iso(text) == f"2024-{number:02d}-07", text
            assert _iso(text.upper()) == f"2024-{number:02d}-07", text.upper()


@pytest.mark.parametrize("text", ["31/04/2024", "30.02.2024", "02/30/2024", "29.02.2023", "2024-13-01"])
def test_impossible_dates_are_not_read(text):
    assert parse_timestamp(text) is None


def test_the_first_date_in_the_text_is_the_one_read():
    assert _iso("Updated 25/10/2024, first published October 24, 2024") == "2024-10-25"
    assert _iso("13.10.2024 12.10.2024") == "2024-10-13"  # the next date is not a time of day
    assert _iso("At 12:34 the bank said 24 October 2024") == "2024-10-24"  # nor is a time before other words


# --- an all-numeric date whose day and month could swap ---------------------------------------------

def test_a_swappable_date_is_ambiguous_and_read_by_the_separator_default():
    slash = parse_timestamp("05/10/2024")
    assert slash.ambiguous and slash.iso == "2024-05-10"  # slash: month first
    dotted = parse_timestamp("05.10.2024")
    assert dotted.ambiguous and dotted.iso == "2024-10-05"  # dots and dashes: day first
    assert not parse_timestamp("05/05/2024").ambiguous
    assert not parse_timestamp("13/10/2024").ambiguous and not parse_timestamp("10/13/2024").ambiguous


@pytest.mark.parametrize("day_first, iso", [(True, "2024-10-05"), (False, "2024-05-10")])
def test_the_order_given_settles_it(day_first, iso):
    stamp = parse_timestamp("05/10/2024 12:34", day_first=day_first)
    assert stamp.iso == iso + "T12:34" and not stamp.ambiguous


def _document(text, **fields):
    return clean(Article(id="a", path="a.txt", text=text, **fields), CONFIG.boilerplate, CONFIG.canonical)


@pytest.mark.parametrize("language, iso, ambiguous", [
    (None, "2024-05-10T12:34", True),
    ("en", "2024-05-10T12:34", True),
    ("en-US", "2024-05-10T12:34", False),
    ("en-GB", "2024-10-05T12:34", False),
    ("en_IN", "2024-10-05T12:34", False),
    ("de", "2024-10-05T12:34", False),
    ("pt-BR", "2024-10-05T12:34", False),
    ("id", "2024-10-05T12:34", False),
])
def test_the_language_tells_the_order(language, iso, ambiguous):
    document = _document("Bank raises rates\n\n05/10/2024 12:34\n\n" + BODY, language=language)
    assert (document.published, document.published_ambiguous) == (iso, ambiguous)


@pytest.mark.parametrize("evidence, iso", [
    ("Updated 24/10/2024", "2024-10-05"),       # another date with a day over 12
    ("First published 10/24/2024", "2024-05-10"),
    ("Last updated 24 October 2024", "2024-10-05"),  # day before the month's name
    ("Last updated October 24, 2024", "2024-05-10"),
])
def test_other_dates_in_the_text_tell_the_order(evidence, iso):
    document = _document(f"Bank raises rates\n\n05/10/2024\n\n{BODY}\n\n{evidence}")
    assert (document.published, document.published_ambiguous) == (iso, False)


def test_conflicting_evidence_leaves_it_ambiguous():
    document = _document(f"Bank raises rates\n\n05/10/2024\n\n{BODY}\n\nUpdated 24/10/2024\n\nSee 10/24/2024")
    assert document.published_ambiguous


@pytest.mark.parametrize("line", ["Atualizado em 05/10/2024 12:34", "Diperbarui: Kamis, 05/10/2024 12:34",
                                  "jeudi 05/10/2024 12:34"])
def test_the_words_of_the_line_tell_the_order(line):
    document = _document(f"Bank raises rates\n\n{line}\n\n{BODY}")
    assert (document.published, document.published_ambiguous) == ("2024-10-05T12:34", False)


def test_a_declared_date_is_resolved_the_same_way():
    document = _document(BODY, published="05/10/2024", language="fr")
    assert (document.published, document.published_ambiguous) == ("2024-10-05", False)
    document = _document(BODY, published="05/10/2024")
    assert (document.published, document.published_ambiguous) == ("2024-05-10", True)


def test_the_page_language_comes_from_html_lang_or_og_locale():
    assert read_page('<html lang="de-AT"><body><p>Text</p></body></html>').language == "de-AT"
    page = read_page('<html><head><meta property="og:locale" content="pt_BR"></head><body><p>x</p></body></html>')
    assert page.language == "pt_BR"


def test_the_report_says_when_a_date_was_ambiguous(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "us", "text": BODY, "published": "05/10/2024"}) + "\n"
                    + json.dumps({"id": "de", "text": BODY + " Extra.", "published": "05/10/2024",
                                  "language": "de"}) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text('<html lang="fr"><head><meta name="date" content="06/10/2024"></head><body>'
                    + "".join(f"<p>{p}</p>" for p in UNDATED) + "</body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["cluster", str(feed), str(page), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    members = {m["id"]: m for c in json.loads(result.stdout)["clusters"] for m in c["members"]}
    assert (members["us"]["published"], members["us"]["published_ambiguous"]) == ("2024-05-10", True)
    assert (members["de"]["published"], members["de"]["published_ambiguous"]) == ("2024-10-05", False)
    assert (members["page"]["published"], members["page"]["published_ambiguous"]) == ("2024-10-06", False)


# Dates put together from odd pieces, with letters that match a month name case-blind but do not
# lower() to one (ſ, İ, K), impossible numbers and zones.
DATE_LIKE = st.tuples(
    st.sampled_from(["", "Updated: ", "Kamis, ", "Thu ", "x", "2024-"]),
    st.sampled_from(["24", "05", "1", "31", "00", "99", "2024"]),
    st.sampled_from([" ", ". ", "-", " de ", "/", ".", ""]),
    st.sampled_from(["Oct", "ſept", "APRİL", "oKtober", "März", "10", "13", "mrt.", "Ｏct"]),
    st.sampled_from([" ", "-", "/", ".", ", ", " del "]),
    st.sampled_from(["2024", "1799", "0000", "24"]),
    st.sampled_from(["", " 12:34", "T23:30:00-05:00", " 7:13 p.m. EDT", " GMT+99", "Z", " um 24.60 Uhr", "T12:34+1"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(DATE_LIKE, st.text(max_size=80)), other=DATE_LIKE)
def test_no_text_makes_the_date_reader_fail(text, other):
    stamp = parse_timestamp(text)
    assert stamp is None or days_between(stamp.iso, stamp.iso) == 0
    timestamp_line(text)
    days_between(text, other)
    _earliest(text, other)
    _document(f"Title line here\n\n{text}\n\n{BODY}\n\n{other}")
