from newsdedup import _core
from newsdedup.clean import clean, clean_settings
from newsdedup.config import Config
from newsdedup.models import Article

CONFIG = Config()
STORY = [
    "The central bank raised its main interest rate by half a point on Tuesday, the first increase in two years, "
    "saying that inflation had stayed above its target for too long.",
    "The governor told reporters in the capital that further moves would depend on the data, and that the bank "
    "stood ready to act again if prices kept rising faster than wages.",
    "Economists had expected a smaller move, and the currency rose almost one percent against the dollar after "
    "the announcement, its biggest daily gain since the spring.",
]


def _blocks(text):
    """The paragraphs (or lone lines) the cleaner judges one by one."""
    return [block for block, source_kind, _words in
            _core.blocks_batch([text], clean_settings(CONFIG.boilerplate, CONFIG.canonical))[0]]


def _clean(text, **fields):
    return clean(Article(id="a", path="a.txt", text=text, **fields), CONFIG.boilerplate, CONFIG.canonical)


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = ("Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since"
               " early\nJanuary and improving prospects for the coming temporao,\nalthough normal humidity"
               " levels have not been restored.\n    The dry period means the temporao will be late this"
               " year.\n")
    blocks = _blocks(wrapped)
    assert len(blocks) == 2 and blocks[0].startswith("Showers") and "temporao, although" in blocks[0]


def test_a_two_line_paragraph_is_joined_even_when_a_name_starts_the_second_line():
    text = "The companies had been given until April 22 to comply with the Justice\nDepartment requirement, he said.\n"
    assert _blocks(text) == [
        "The companies had been given until April 22 to comply with the Justice Department requirement, he said."]


def test_a_list_of_headlines_is_not_joined_as_one_paragraph():
    headlines = "Trump says he will fire the counsel\nEU gives Lebanese army 60 million euros\nFire at power plant"
    assert len(_blocks(headlines)) == 3


def test_ticker_headlines_and_menus_are_removed_and_counted():
    ticker = "\n".join(f"Coin {i} (C{i}) $ {i}.{i}5 {i}.2%" for i in range(30))
    related = "\n".join(f"Another story headline number {i} about something\nBy REUTERS\n10/24/2024 0{i % 9}:13 PM"
                        for i in range(6))
    page = "Home\nWorld\nBusiness\nSport\n\nBank raises rates\n\n" + "\n\n".join(STORY) + "\n\n" + related + "\n" + ticker
    document = _clean(page)
    assert document.body.split("\n\n") == STORY
    assert document.title == "Bank raises rates"
    assert 0.5 < document.boilerplate_share < 1


def test_furniture_in_several_languages_is_removed():
    furniture = [
        "Assine nossa newsletter e receba as notícias do dia",
        "Nous utilisons des cookies pour améliorer votre expérience. Tous droits réservés.",
        "Baca juga: Harga emas naik lagi hari ini",
        "Lesen Sie auch: Die Bank erhöht die Zinsen",
        "Share this article on Facebook and Twitter",
    ]
    page = furniture[0] + "\n\n" + "\n\n".join(STORY[:2]) + "\n\n" + "\n\n".join(furniture[1:]) + "\n\n" + STORY[2]
    document = _clean(page)
    for line in furniture:
        assert line not in document.body
    assert all(paragraph in document.body for paragraph in STORY)


def test_a_furniture_phrase_broken_across_wrapped_lines_is_still_found():
    # The page is searched once for phrases; a phrase split by a line break must still count.
    appeal = ("Independent reporting costs money, and we rely on readers like you. Please support our\n"
              "journalism with a gift of any size today, every single month.")
    document = _clean("\n\n".join(STORY[:2]) + "\n\n" + appeal + "\n\n" + STORY[2])
    assert "Please support our journalism" not in document.body
    assert all(paragraph in document.body for paragraph in STORY)


def test_header_metadata_and_dateline_are_read_and_stripped():
    text = ("World\n\nBank raises rates\n\n2024.10.24 12:34\n\nBy Jane Doe\n\n"
            "LONDON (Reuters) -" + STORY[0] + "\n\n" + "\n\n".join(STORY[1:]))
    document = _clean(text)
    assert document.title == "Bank raises rates"
    assert document.published == "2024-10-24T12:34"
    assert document.byline == "Jane Doe"
    assert document.dateline == "LONDON (Reuters) -"
    assert document.wire_credit.agency == "Reuters" and document.wire_credit.kind == "dateline"
    assert document.body.startswith("The central bank")


def test_explicit_fields_win_over_header_lines():
    document = _clean("\n\n".join(STORY), title="Given title", source="Wire", published="26-FEB-1987 15:01:01.79")
    assert (document.title, document.source, document.published) == ("Given title", "Wire", "1987-02-26T15:01:01")


def test_a_brief_keeps_its_figures():
    brief = "Shr 23 cts vs 14 cts\n    Net 439,100 vs 259,948\n    Revs 9,918,413 vs 9,683,392\n" \
            "    NOTE: Share adjusted for five pct stock dividend."
    document = _clean(brief, title="ACME CORP 1ST QTR NET")
    assert "439,100" in document.body and "NOTE" in document.body


def test_boilerplate_filter_can_be_switched_off():
    from dataclasses import replace
    page = "Home\nWorld\nSport\n\n" + "\n\n".join(STORY) + "\n\nShare this article on Facebook"
    settings = replace(CONFIG.boilerplate, enabled=False)
    document = clean(Article(id="a", path="a", text=page), settings, CONFIG.canonical)
    assert "Share this article" in document.body
