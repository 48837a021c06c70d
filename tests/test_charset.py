"""Bytes to text with a page's declared charset judged, not obeyed (issue 13 item 3)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup.charset import decode, lone_surrogate

# Real news prose, each in the legacy charset its language was written in on the web.
NEWS = {
    "german": ("cp1252", (
        "Die Bürgermeisterin äußerte sich am Dienstag überraschend deutlich über die geplanten "
        "Änderungen im Haushalt. Größere Straßenbauprojekte müssen nach ihren Worten verschoben "
        "werden, weil die Gewerbesteuer weniger einbringt als erwartet. „Wir können nicht alles "
        "gleichzeitig bezahlen“, sagte sie vor dem Stadtrat. Die Opposition kritisierte die "
        "Kürzungen bei Schulen und Kindergärten scharf; der Fraktionschef sprach von einem "
        "„Offenbarungseid“ der Verwaltung."
    )),
    "french": ("cp1252", (
        "Le président a déclaré jeudi que la réunion était très importante pour l'économie "
        "française. « Nous devons agir vite », a-t-il ajouté devant les députés, évoquant la "
        "hausse des prix de l'énergie et la dégradation des finances publiques. Les syndicats, "
        "reçus à l'Élysée dans l'après-midi, ont dénoncé une réforme « brutale » ; la Première "
        "ministre doit présenter le texte en Conseil des ministres à la mi-décembre."
    )),
    "russian": ("cp1251", (
        "Президент России в четверг провёл совещание с членами правительства по экономическим "
        "вопросам. Обсуждались меры поддержки малого и среднего бизнеса, а также ситуация на "
        "рынке труда. «Мы должны обеспечить устойчивый рост доходов граждан», — заявил он. "
        "Министр финансов сообщил, что дефицит бюджета по итогам года окажется ниже ожидаемого, а "
        "инфляция замедлится до четырёх процентов."
    )),
    "ukrainian": ("cp1251", (
        "Уряд України ухвалив рішення про підвищення мінімальної заробітної плати з першого "
        "січня. Як повідомив прем'єр-міністр, у державному бюджеті передбачено кошти на соціальні "
        "виплати та відновлення інфраструктури. «Ми зробимо все, щоб їхні родини отримали "
        "підтримку», — наголосив він. Опозиція вважає, що цього недостатньо, і вимагає "
        "переглянути видатки на оборону й освіту."
    )),
    "greek": ("iso8859-7", (
        "Ο πρωθυπουργός δήλωσε την Τετάρτη ότι η κυβέρνηση θα παρουσιάσει νέο πακέτο μέτρων για "
        "τη στήριξη των νοικοκυριών. Σύμφωνα με το υπουργείο Οικονομικών, η ανάπτυξη αναμένεται "
        "να φτάσει το τρία τοις εκατό φέτος. Η αντιπολίτευση επέκρινε τις προτάσεις, "
        "υποστηρίζοντας ότι δεν αντιμετωπίζουν την ακρίβεια. Οι συνδικαλιστές ανακοίνωσαν απεργία "
        "για την επόμενη εβδομάδα στην Αθήνα και στη Θεσσαλονίκη."
    )),
    "czech": ("iso8859-2", (
        "Vláda ve středu schválila návrh státního rozpočtu na příští rok, který počítá se "
        "schodkem dvě stě miliard korun. Ministr financí uvedl, že příjmy z daní porostou díky "
        "oživení ekonomiky. Opozice však kritizuje, že výdaje na zdravotnictví a školství jsou "
        "příliš nízké. Poslanci budou o rozpočtu hlasovat v listopadu; prezident republiky již "
        "dříve naznačil, že zákon podepíše."
    )),
    "polish": ("iso8859-2", (
        "Rząd przyjął we wtorek projekt ustawy o podwyższeniu płacy minimalnej od przyszłego "
        "roku. Minister pracy podkreśliła, że zmiana obejmie ponad dwa miliony osób. Związkowcy "
        "uważają jednak, że podwyżka jest zbyt niska w stosunku do wzrostu cen żywności i "
        "energii. Pracodawcy ostrzegają z kolei przed zwolnieniami w małych firmach, zwłaszcza na "
        "wschodzie kraju."
    )),
    "chinese": ("gb18030", (
        " "
        "国务院总理周三主持召开常务会议，部署进一步稳定经济增长的措施。"
        "会议指出，要加大对中小企业的支持力度，扩大有效投资，促进消费恢复。"
        "财政部表示，今年前三季度全国一般公共预算收入同比增长，税收收入保持稳定。"
        "专家认为，随着政策效果逐步显现，经济有望继续回升向好。"
    )),
    "korean": ("euc-kr", (
        "정부는 수요일 국무회의를 열고 내년도 예산안을 확정했다. 기획재정부는 경제 성장률이 올해보다 높아질 것으로 전망하며 일자리 창출과 복지 확대에 재정을 "
        "집중하겠다고 밝혔다. 야당은 국가 부채가 지나치게 늘어난다며 반대 입장을 분명히 했다. 국회는 다음 달 본회의에서 예산안을 처리할 예정이다."
    )),
    "japanese": ("shift_jis", (
        " "
        "政府は水曜日の閣議で、来年度予算案を決定した。"
        "財務省によると、歳出総額は過去最大となり、社会保障費と防衛費の増加が目立つ。"
        "首相は記者会見で「国民の生活を守るために必要な措置だ」と述べた。"
        "野党は財政赤字の拡大を批判しており、国会での審議は難航が予想される。"
    )),
}
# The other legacy charsets the same languages were written in.
ALSO_WRITTEN_IN = {
    "german": ["iso8859-15", "mac-roman", "cp850"], "french": ["iso8859-15", "mac-roman", "cp850"],
    "russian": ["koi8-r", "cp866", "iso8859-5", "mac-cyrillic"], "ukrainian": ["koi8-u"],
    "greek": ["cp1253"], "czech": ["cp1250"], "polish": ["cp1250"], "chinese": ["gbk"],
    "japanese": ["euc-jp"],
}
LEGACY = [(name, codec) for name, (first, _) in NEWS.items() for codec in [first, *ALSO_WRITTEN_IN.get(name, [])]]
# Typographic punctuation that some legacy charsets lack, as pages in them wrote it.
_PLAIN_PUNCTUATION = str.maketrans({"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "—": "-"})


def _written_in(name: str, codec: str) -> str:
    """The news text of ``name`` as it was written in ``codec``."""
    text = NEWS[name][1]
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return text.translate(_PLAIN_PUNCTUATION)
    return text


# A page in UTF-8 that holds several scripts, as an international news page does.
MULTILINGUAL = (
    "NBC\u2019s correspondent reports. " + NEWS["german"][1][:120] + " " + NEWS["russian"][1][:120] + " "
    + NEWS["greek"][1][:120] + " " + NEWS["chinese"][1][:60]
)


def _page(text: str) -> str:
    return f"<html><head><title>News</title></head><body><p>{text}</p></body></html>"


# --- UTF-8 under a legacy declaration is UTF-8 ---


@pytest.mark.parametrize("declared", [
    "cp1252", "iso8859-2", "iso8859-7", "koi8-r", "koi8-u", "cp1251", "cp866", "mac-roman",
    "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr",
])
def test_utf8_bytes_are_utf8_whatever_legacy_charset_is_declared(declared):
    page = _page(MULTILINGUAL)
    assert decode(page.encode("utf-8"), declared) == (page, f"utf-8 (declared {declared})")


@pytest.mark.parametrize("declared, mojibake", [
    ("cp1252", "NBCâ€™s"), ("cp866", "NBCтАЩs"), ("cp1251", "NBCвЂ™s"), ("koi8-r", "NBCБ─≥s"),
])
def test_the_issue_s_mojibake_is_gone(declared, mojibake):
    data = "NBC\u2019s anchor".encode("utf-8")
    assert data.decode(declared).startswith(mojibake)  # what obeying the declaration gave
    assert decode(data, declared) == ("NBC\u2019s anchor", f"utf-8 (declared {declared})")


def test_ascii_under_a_legacy_declaration_keeps_the_declared_label():
    assert decode(_page("Plain words only.").encode("ascii"), "cp1252") == (_page("Plain words only."), "cp1252")


# --- a few bytes that are not UTF-8: read in the declared charset ---


def test_a_stray_legacy_byte_in_a_utf8_page_is_read_in_the_declared_charset():
    text = NEWS["german"][1] + " Eintritt: 5 €."
    data = _page(NEWS["german"][1]).encode("utf-8").replace(b"</p>", " Eintritt: 5 €.</p>".encode("cp1252"))
    assert decode(data, "cp1252") == (_page(text), "utf-8 (declared cp1252, 1 byte read as cp1252)")


def test_a_run_of_legacy_bytes_is_read_in_the_declared_charset():
    signature = " Редакция «Известий»"
    data = _page(NEWS["russian"][1]).encode("utf-8")
    data = data.replace(b"</p>", signature.encode("koi8-u", "replace") + b"</p>")
    text, label = decode(data, "koi8-u")
    assert text == _page(NEWS["russian"][1] + " Редакция ?Известий?")  # koi8 has no guillemets
    assert label == "utf-8 (declared koi8-u, 16 bytes read as koi8-u)"


def test_stray_bytes_under_a_multi_byte_declaration_are_replaced():
    # GB bytes often hold a valid UTF-8 sequence by chance ("（完）" holds U+A8E9), which splits
    # them into pieces that GB18030 cannot read back as "（完）": they are replaced.
    data = _page(NEWS["chinese"][1]).encode("utf-8").replace(b"</p>", "（完）".encode("gb18030") + b"</p>")
    assert decode(data, "gb18030") == (_page(NEWS["chinese"][1] + "\ufffd\ufffd\ufffd\ua8e9"),
                                       "utf-8, 3 bytes replaced (declared gb18030)")


def test_a_utf8_article_in_a_legacy_template_reads_right_throughout():
    footer = "© 2011 Société Générale — Tous droits réservés"
    data = _page(NEWS["french"][1]).encode("utf-8")
    data = data.replace(b"</body>", f"<footer>{footer}</footer></body>".encode("cp1252"))
    text, label = decode(data, "cp1252")
    assert text == _page(NEWS["french"][1]).replace("</body>", f"<footer>{footer}</footer></body>")
    assert label == "utf-8 (declared cp1252, 8 bytes read as cp1252)"


def test_a_koi8_page_holding_a_utf8_quote_stays_koi8():
    quote = "\u201cNBC\u2019s\u201d"
    russian = _written_in("russian", "koi8-r")
    data = _page(russian).encode("koi8-r").replace(b"</p>", quote.encode("utf-8") + b"</p>")
    text, label = decode(data, "koi8-r")
    assert label == "koi8-r" and russian in text


@pytest.mark.parametrize("declared", [None, "utf-8"])
def test_a_utf8_article_with_a_long_legacy_footer_is_utf8_not_a_detector_s_guess(declared):
    footer = " ".join(["© Société Générale — droits réservés"] * 3)
    page = _page(NEWS["russian"][1]).replace("</body>", f"<footer>{footer}</footer></body>")
    data = page.encode("utf-8").replace(footer.encode("utf-8"), footer.encode("cp1252"))
    text, label = decode(data, declared)  # detection found no charset: "not text"
    assert NEWS["russian"][1] in text and text.count("\ufffd") == 24 and label == "utf-8, 24 bytes replaced"


# --- real legacy text stays as declared ---


@pytest.mark.parametrize("name, codec", LEGACY)
def test_real_legacy_text_is_read_as_declared(name, codec):
    page = _page(_written_in(name, codec))
    assert decode(page.encode(codec), codec) == (page, codec)


@pytest.mark.parametrize("name, codec", LEGACY)
def test_real_legacy_text_without_a_declaration_is_not_taken_for_utf8(name, codec):
    decoded = decode(_page(_written_in(name, codec)).encode(codec))
    assert isinstance(decoded, str) or not decoded[1].startswith("utf-8")


@pytest.mark.parametrize("name, codec", LEGACY)
def test_no_headline_length_snippet_of_legacy_text_is_taken_for_utf8(name, codec):
    text = _written_in(name, codec)
    for length in (20, 32):
        for start in range(len(text) - length):
            data = f"<h1>{text[start:start + length]}</h1>".encode(codec)
            assert decode(data, codec) == (data.decode(codec), codec), text[start:start + length]


# --- a declaration that fails on many bytes gives way, and the label says so ---


@pytest.mark.parametrize("name, declared, label", [
    ("french", "utf-8", "cp1252 (declared utf-8, 30 bytes not utf-8)"),
    ("russian", "utf-8", "cp1251 (declared utf-8, 321 bytes not utf-8)"),
    ("chinese", "utf-8", "gb18030 (declared utf-8, 181 bytes not utf-8)"),
    ("russian", "shift_jis", "cp1251 (declared shift_jis, 145 bytes not shift_jis)"),
])
def test_a_declaration_that_fails_on_many_bytes_is_named_in_the_label(name, declared, label):
    codec, text = NEWS[name]
    assert decode(_page(text).encode(codec), declared) == (_page(text), label)


def test_utf8_under_an_ascii_declaration_is_utf8():
    page = _page(NEWS["greek"][1])
    assert decode(page.encode("utf-8"), "ascii") == (page, "utf-8 (declared ascii)")


# --- labels of the cases that were right already do not change ---


@pytest.mark.parametrize("data, declared, label", [
    (_page(MULTILINGUAL).encode("utf-8"), None, "utf-8"),
    (_page(MULTILINGUAL).encode("utf-8"), "utf-8", "utf-8"),
    (b"\xef\xbb\xbf" + _page(MULTILINGUAL).encode("utf-8"), "cp1252", "utf-8"),
    (_page(NEWS["russian"][1]).encode("cp1251"), None, "cp1251"),
    (_page(NEWS["german"][1]).encode("utf-8").replace(b"Haushalt", b"Haus\xffhalt"), "utf-8",
     "utf-8, 1 byte replaced"),
    (_page(NEWS["german"][1]).encode("utf-8") + b"\x81", None, "utf-8, 1 byte replaced"),
])
def test_labels_of_files_read_right_before_stay(data, declared, label):
    assert decode(data, declared)[1] == label


def test_a_stray_nul_in_a_legacy_page_is_text():
    data = _page(NEWS["czech"][1]).encode("iso8859-2").replace(b" ", b"\x00", 1)
    assert decode(data, "iso8859-2") == (data.decode("iso8859-2"), "iso8859-2")


# --- whatever the bytes and the declaration: text without lone surrogates, or a reason ---

DECLARED = ["cp1252", "koi8-r", "cp866", "iso8859-7", "gb18030", "shift_jis", "euc-kr", "utf-8", "utf-16",
            "iso2022_jp"]
pieces = st.one_of(
    st.sampled_from([text for _, text in NEWS.values()]).map(lambda text: text[:60]),
    st.text(max_size=20),
    st.binary(max_size=6),
)
mixed_bytes = st.lists(st.tuples(pieces, st.sampled_from(["utf-8", "cp1252", "koi8-r", "gb18030"])), max_size=8)
mixed_bytes = mixed_bytes.map(
    lambda parts: b"".join(p if isinstance(p, bytes) else p.encode(codec, "replace") for p, codec in parts))


@settings(derandomize=True, deadline=None, database=None, max_examples=300,
          suppress_health_check=[HealthCheck.too_slow])
@given(mixed_bytes, st.sampled_from(DECLARED))
def test_any_bytes_under_any_declaration_decode_to_text_or_a_reason(data, declared):
    decoded = decode(data, declared)
    assert decoded == decode(data, declared)
    if isinstance(decoded, tuple):
        assert lone_surrogate(decoded[0]) is None
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        if not utf8.isascii() and declared != "utf-8" and not utf8.startswith("\ufeff"):  # no mark: rule 1
            assert decoded == (utf8, f"utf-8 (declared {declared})")
