"""Saved web pages: the article found in the page, its metadata, and each way a page once went wrong.

Each test of the last part holds one cause of issue 13 (pages of real crawls that the old
reader, on the standard library's HTML parser, read wrong): the page must cluster with the
plain text of its own article, and with nothing else.
"""

import json

from click.testing import CliRunner

from newsdedup.cli import main
from newsdedup.webpage import read_page, read_pages
from labelled import INDEPENDENT, REWRITE, WIRE

PAGE = """<!doctype html><html lang="pt"><head><meta charset="utf-8">
<title>Putin não nega tropas | Folha Digital</title>
<meta property="og:site_name" content="Folha Digital">
<meta property="article:published_time" content="2024-10-24T15:02:00Z">
<link rel="canonical" href="https://example.org/mundo/putin">
<script>var tracking = "do not read me";</script><style>p {{ color: red }}</style></head>
<body><nav><a href="/">Início</a><a href="/mundo">Mundo</a><a href="/economia">Economia</a></nav>
<div class="cookie">Usamos cookies para melhorar sua experiência. <button>Aceitar</button></div>
<header><h1>Putin não nega tropas norte-coreanas</h1><p class="byline">Por Reuters</p></header>
<article>{paragraphs}<figure><img src="x.jpg"><figcaption>Foto: Arquivo / Fotógrafo Anônimo</figcaption></figure>
</article><aside><h3>Leia também</h3><ul><li>Outra notícia do dia</li><li>Mais uma notícia</li></ul></aside>
<div class="share">Compartilhe<br>Facebook<br>WhatsApp</div>
<footer>© 2024 Folha Digital. Todos os direitos reservados.</footer></body></html>"""


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)


def _page() -> str:
    return PAGE.format(paragraphs=_paragraphs(WIRE))


def test_page_text_keeps_paragraphs_and_drops_scripts_and_navigation():
    page = read_page(_page())
    assert (page.title, page.source, page.published, page.url, page.language, page.byline) == (
        "Putin não nega tropas norte-coreanas", "Folha Digital", "2024-10-24T15:02:00Z",
        "https://example.org/mundo/putin", "pt", "Reuters")
    assert page.text.split("\n\n") == WIRE


def test_pages_are_read_in_order_whatever_the_thread_count():
    pages = [_page(), "<p>" + " ".join(REWRITE) + "</p>", "", _paragraphs(INDEPENDENT)] * 5
    one = read_pages(pages, threads=1)
    assert read_pages(pages, threads=3) == one and read_pages(pages) == one
    assert one[0].text.split("\n\n") == WIRE and one[2].text == ""


def test_a_saved_page_clusters_with_the_clean_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(_page(), encoding="utf-8")
    (folder / "clean.txt").write_text("\n\n".join(WIRE), encoding="utf-8")
    (folder / "other.htm").write_text("<html><body><p>" + "Completely unrelated story about football. " * 20
                                      + "</p></body></html>", encoding="utf-8")
    report = _cluster(folder)
    first = report["clusters"][0]
    assert {m["id"] for m in first["members"]} == {"page", "clean"}
    page = next(m for m in first["members"] if m["id"] == "page")
    assert page["source"] == "Folha Digital" and page["published"] == "2024-10-24T15:02:00Z"
    assert page["title"] == "Putin não nega tropas norte-coreanas"
    assert page["byline"] == "Reuters" and page["wire_credit"]["agency"] == "Reuters"
    assert report["stats"]["clusters"] == 2


def test_a_page_with_no_text_is_skipped(tmp_path):
    (tmp_path / "blank.html").write_text("<html><head><title>t</title></head><body><script>x</script></body></html>")
    (tmp_path / "ok.txt").write_text("\n\n".join(WIRE))
    report = _cluster(tmp_path)
    assert report["skipped"] == [{"path": str(tmp_path / "blank.html"), "reason": "no text in the page"}]


# --- the causes of issue 13: each page clusters with its own article's text, and only with it ---


def _cluster(folder) -> dict:
    result = CliRunner().invoke(main, ["cluster", str(folder), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _groups(report: dict) -> set[frozenset[str]]:
    return {frozenset(member["id"] for member in cluster["members"]) for cluster in report["clusters"]}


def _clusters_with_its_text(tmp_path, page: str | bytes, paragraphs: list[str] = WIRE) -> dict:
    """Clusters the page beside the plain text of its article and an unrelated story; returns the report."""
    (tmp_path / "page.html").write_bytes(page if isinstance(page, bytes) else page.encode("utf-8"))
    (tmp_path / "text.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    (tmp_path / "other.txt").write_text("\n\n".join(INDEPENDENT), encoding="utf-8")
    report = _cluster(tmp_path)
    assert report["skipped"] == []
    assert _groups(report) == {frozenset({"page", "text"}), frozenset({"other"})}
    return report


def _aspnet_page(paragraphs: list[str]) -> str:
    """A page of a site that wraps everything in one <form>, its menu and footer the same on every page."""
    return ("<html><body><form method='post' action='./story.aspx' id='aspnetForm'>"
            "<input type='hidden' name='__VIEWSTATE' value='dDwtMTA4MzE0MjEwNjs7Pg=='>"
            "<div id='menu'><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/sport'>Sport</a></div>"
            f"<div id='content'><h1>Headline</h1>{_paragraphs(paragraphs)}</div>"
            "<div id='site-footer'><p>Copyright 2011 Example Media Group, all rights reserved, reproduction in "
            "whole or in part without permission is prohibited, terms of use and privacy policy apply.</p></div>"
            "</form></body></html>")


def test_an_article_inside_a_form_is_read_and_two_pages_of_one_site_stay_apart(tmp_path):
    (tmp_path / "story.html").write_text(_aspnet_page(WIRE), encoding="utf-8")
    (tmp_path / "other.html").write_text(_aspnet_page(INDEPENDENT), encoding="utf-8")
    (tmp_path / "text.txt").write_text("\n\n".join(WIRE), encoding="utf-8")
    report = _cluster(tmp_path)
    assert report["skipped"] == []
    assert _groups(report) == {frozenset({"story", "text"}), frozenset({"other"})}


def test_an_unclosed_title_does_not_swallow_the_page(tmp_path):
    _clusters_with_its_text(tmp_path, f"<html><head><title>Putin on troops</head><body>{_paragraphs(WIRE)}</body>")


def test_a_stray_conditional_comment_end_hides_nothing(tmp_path):
    page = (f"<html><head><!--[if lt IE 9]><script src='html5.js'></script><![endif]--></head><body>"
            f"<![endif]--><div class='story'>{_paragraphs(WIRE)}</div><script>if (a[b[0]]> 1) {{}}</script></body>")
    _clusters_with_its_text(tmp_path, page)


def test_a_broken_script_tag_does_not_hide_the_article(tmp_path):
    for number, opening in enumerate(["<script src='/js/a.js'/>", "<script src='/js/a.js'"]):
        folder = tmp_path / str(number)
        folder.mkdir()
        page = f"<html><body><div class='story'>{opening}{_paragraphs(WIRE)}<script>var x;</script></div></body>"
        _clusters_with_its_text(folder, page)


def test_the_post_is_read_not_the_comments_or_the_related_links(tmp_path):
    comments = "".join(f"<li class='comment'><p>{paragraph}</p></li>" for paragraph in REWRITE * 2)
    related = "".join(f"<li><a href='/s{n}'>{paragraph[:80]}</a></li>" for n, paragraph in enumerate(INDEPENDENT))
    page = (f"<html><body><div class='post'>{_paragraphs(WIRE[:3])}</div>"
            f"<div class='related-links'><ul>{related}</ul></div>"
            f"<section id='comments'><h2>{len(REWRITE) * 2} comments</h2><ol>{comments}</ol></section></body></html>")
    report = _clusters_with_its_text(tmp_path, page, WIRE[:3])
    assert report["stats"]["articles"] == 3


def test_a_wire_services_footer_is_not_the_story(tmp_path):
    footer = ("<p>© 2024 Reuters. All rights reserved. Republication or redistribution of Reuters content, "
              "including by framing or similar means, is expressly prohibited without the prior written consent "
              "of Reuters.</p><p>Reporting by Guy Faulconbridge; Editing by Alex Richardson</p>")
    page = f"<html><body><article>{_paragraphs(WIRE)}{footer}</article></body></html>"
    _clusters_with_its_text(tmp_path, page)
    body = read_page(page).text
    assert "Republication" in body  # the reader keeps what is in the article; the clean stage takes the footer out


def test_a_stray_nul_byte_does_not_make_a_page_binary(tmp_path):
    padding = "<!-- " + "layout " * 10000 + "-->"  # a 69 KB page, as in the crawl
    page = f"<html><head>{padding}</head><body>{_paragraphs(WIRE)}</body></html>".encode("utf-8")
    page = page.replace(b"Putin", b"Put\x00in", 1)
    assert len(page) > 65_000
    _clusters_with_its_text(tmp_path, page)


def test_a_caption_a_byline_and_a_date_line_on_one_side_only_leave_the_copies_together(tmp_path):
    page = ("<html><body><article><h1>Putin does not deny North Korean troops</h1>"
            "<div class='byline'>By Guy Faulconbridge and Lidia Kelly</div>"
            "<p class='date'>October 24, 2024 4:02 PM GMT+1 Updated an hour ago</p>"
            "<figure><img src='putin.jpg'><figcaption>Russian President Vladimir Putin attends a news conference "
            "after the BRICS summit in Kazan, Russia, October 24, 2024. REUTERS/Maxim Shemetov</figcaption></figure>"
            f"{_paragraphs(WIRE)}</article></body></html>")
    _clusters_with_its_text(tmp_path, page)


# --- pages inside JSON Lines: a crawl's HTML as a record's `html` ---


def test_a_json_lines_record_may_hold_the_page_instead_of_its_text(tmp_path):
    records = [
        {"id": "page", "html": _page(), "source": "Declared Source"},
        {"id": "text", "text": "\n\n".join(WIRE)},
        {"id": "both", "text": "\n\n".join(INDEPENDENT), "html": _page()},
        {"id": "blank", "html": "<html><body><script>x</script></body></html>"},
        {"id": "bad", "html": 7},
        {"id": "none"},
    ]
    feed = tmp_path / "crawl.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    report = _cluster(feed)
    assert _groups(report) == {frozenset({"page", "text"}), frozenset({"both"})}
    page = next(member for cluster in report["clusters"] for member in cluster["members"] if member["id"] == "page")
    assert page["source"] == "Declared Source" and page["title"] == "Putin não nega tropas norte-coreanas"
    reasons = {skipped["path"]: skipped["reason"] for skipped in report["skipped"]}
    assert reasons == {
        f"{feed}:4": "no text in the page",
        f"{feed}:5": "bad field: 'html' must be a string, got int",
        f"{feed}:6": "missing field: 'text' (a string) is required, or 'html' (a saved page's HTML)",
    }
