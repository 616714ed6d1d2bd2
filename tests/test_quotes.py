"""The quotes stage: direct and reported speech, and who said it."""
from warta.article import Source
from warta.pipeline import Options, process


def quotes_of(text, published="2022-09-15"):
    article = process(Source(id="t", origin="t.txt", text=text, published=published), Options())
    body = article.cleaned.body
    for quote in article.quotes.quotes:
        assert body[quote.start:quote.end] == quote.text
    return [(q.text, q.direct, q.cue, q.speaker) for q in article.quotes.quotes]


def test_direct_quote_with_the_cue_after_and_a_surname():
    found = quotes_of('Duta Besar China untuk PBB Zhang Jun berpidato.\n\n'
                      '"Kita harus sepenuhnya menyadari bahwa keamanan bersama itu penting," kata Zhang.')
    assert found == [("Kita harus sepenuhnya menyadari bahwa keamanan bersama itu penting", True, "kata",
                      {"name": "Zhang Jun", "country": "CHN"})]


def test_nya_points_back_at_the_last_speaker_across_paragraphs():
    found = quotes_of('“Kami siap bekerja sama dengan semua pihak di kawasan,” kata Menteri Luar Negeri China Wang Yi.\n\n'
                      '“Kerja sama itu akan terus kami perdalam tahun depan,” tambahnya.')
    assert [(direct, cue, speaker["name"]) for _, direct, cue, speaker in found] == \
        [(True, "kata", "Wang Yi"), (True, "tambah", "Wang Yi")]


def test_direct_quote_with_the_cue_before():
    found = quotes_of('Menlu Rusia Sergey Lavrov mengatakan, "Amerika Serikat memiliki kebiasaan mengintimidasi negara lain."')
    assert found[0][1:] == (True, "mengatakan", {"name": "Sergey Lavrov", "country": "RUS"})


def test_a_scare_quote_is_not_a_quote():
    assert quotes_of('Kedua negara menolak apa yang disebut "pandangan negatif" tentang aliansi itu.') == []


def test_reported_speech_after_a_speech_verb():
    found = quotes_of("Presiden China Xi Jinping tiba di Samarkand.\n\n"
                      "Xi juga menyebutkan bahwa risiko keamanan siber merupakan tantangan baru bagi semua negara.")
    assert found == [("risiko keamanan siber merupakan tantangan baru bagi semua negara", False, "menyebutkan",
                      {"name": "Xi Jinping", "country": "CHN"})]


def test_reported_speech_with_menurut_and_with_a_trailing_cue():
    found = quotes_of("Menurut Menlu China Wang Yi, kedua negara harus memperkuat koordinasi strategis.\n\n"
                      "China siap bekerja sama dengan Rusia untuk menjaga perdamaian kawasan, papar Wang.")
    assert [(text[:20], direct, cue, speaker["name"]) for text, direct, cue, speaker in found] == [
        ("kedua negara harus m", False, "menurut", "Wang Yi"),
        ("China siap bekerja s", False, "papar", "Wang Yi")]


def test_a_pronoun_is_the_last_speaker():
    found = quotes_of('"Perdamaian adalah pilihan yang tepat bagi dunia," kata Sekretaris Jenderal PBB António Guterres.\n\n'
                      "Ia juga mengatakan bahwa perselisihan antarnegara harus diselesaikan lewat dialog.")
    assert [speaker["name"] for *_, speaker in found] == ["António Guterres", "António Guterres"]


def test_a_joint_statement_speaks_for_the_states_that_issued_it():
    found = quotes_of("China dan Rusia mengeluarkan pernyataan bersama setelah pertemuan di Beijing.\n\n"
                      "“Beijing dan Moskow akan semakin memperdalam kerja sama militer,” tulis pernyataan tersebut.")
    assert found[0][3] == {"name": None, "countries": ["CHN", "RUS"]}


def test_an_unnamed_source_has_a_country_but_no_name():
    found = quotes_of('"Latihan itu akan berlangsung selama dua minggu di perairan itu," kata sumber militer AS.')
    assert found[0][3] == {"name": None, "country": "USA"}


def test_a_quote_left_open_runs_on_into_the_next_paragraph():
    found = quotes_of("“Kami akan terus mendukung penyelesaian damai atas krisis ini.\n\n"
                      "“Semua pihak harus menahan diri dan kembali ke meja perundingan,” kata Retno Marsudi.")
    assert len(found) == 1 and found[0][3]["name"] == "Retno Marsudi" and "\n\n" in found[0][0]


def test_a_name_no_finder_knew_right_after_the_cue_is_the_speaker():
    found = quotes_of('"Menistanya di mana? Itu sama sekali tidak jelas bagi kami," jelas Habiburokhman.')
    assert found[0][3] == {"name": "Habiburokhman", "country": None}


def test_a_speech_verb_after_untuk_or_tidak_reports_nothing():
    assert quotes_of("Yusril dimintai pendapatnya oleh Pansus untuk menjelaskan tentang sejarah undang-undang itu.") == []


def test_nya_after_an_unnamed_speaker_stays_unnamed():
    found = quotes_of("“Setiap kali dia kembali ke panggung, semua penonton bersorak,” kata seorang saksi mata. "
                      "“Jelas dia terus menghilang selama lima belas menit,” ujarnya melanjutkan.")
    assert [speaker["name"] for *_, speaker in found] == [None, None]


def test_a_ministers_portfolio_is_not_part_of_the_name():
    found = quotes_of("Menteri Perhubungan Budi Karya Sumadi meninjau bandara.\n\n"
                      '"Semua penerbangan harus tepat waktu mulai bulan depan," ujar Budi.')
    assert found[0][3]["name"] == "Budi Karya Sumadi"


def test_a_bare_title_after_the_cue_is_the_person_with_that_title():
    found = quotes_of("BOGOR - Presiden Indonesia menerima Perdana Menteri Australia di Istana Bogor.\n\n"
                      '"Australia adalah tetangga dan mitra penting bagi Indonesia," kata Presiden dalam pernyataan pers.\n\n'
                      "Perdana Menteri Australia mengatakan negaranya siap memperluas investasi di Indonesia.",
                      published="2024-02-07")
    assert [speaker["name"] for *_, speaker in found] == ["Joko Widodo", "Anthony Albanese"]


def test_menurut_in_the_first_clause_and_without_a_comma():
    found = quotes_of("Presiden Rusia Vladimir Putin tiba di Beijing.\n\n"
                      "Namun, menurutnya, kedua negara belum menyepakati harga gas untuk tahun depan.\n\n"
                      "Menurut dia hal itu akan dibahas lagi oleh para menteri bulan depan.")
    assert [(text[:20], direct, cue, speaker["name"]) for text, direct, cue, speaker in found] == [
        ("kedua negara belum m", False, "menurut", "Vladimir Putin"),
        ("hal itu akan dibahas", False, "menurut", "Vladimir Putin")]


def test_a_cue_set_inside_a_sentence_and_menurut_closing_one():
    found = quotes_of("Menteri Luar Negeri Retno Marsudi membuka pertemuan itu.\n\n"
                      "Kerja sama itu, kata Retno, juga membuka pasar baru bagi produk Indonesia di Afrika.\n\n"
                      "Serangan itu adalah operasi terbesar kelompok tersebut, menurut seorang juru bicara.")
    assert [(text[:20], cue) for text, _, cue, _ in found] == [
        ("juga membuka pasar b", "kata"), ("Serangan itu adalah ", "menurut")]
    assert found[0][3]["name"] == "Retno Marsudi"


def test_a_body_or_group_speaks_with_no_name():
    found = quotes_of("Badai itu memutus listrik di pesisir timur.\n\n"
                      "Polisi mengatakan akan menggunakan kapal untuk mencapai desa yang paling parah.\n\n"
                      "Hal itu menunjukkan bahwa persiapan pemerintah daerah belum cukup matang.")
    assert [(text[:20], cue, speaker["name"]) for text, _, cue, speaker in found] == [
        ("akan menggunakan kap", "mengatakan", None)]


def test_a_speech_verb_mined_from_the_annotation_is_a_cue():
    from warta.resources import quote_cues

    cues = quote_cues()
    assert cues["mengatakan"] == "verb" and cues["memperingatkan"] == "verb"
    found = quotes_of("Menteri Pertahanan AS Lloyd Austin memperingatkan bahwa "
                      "sanksi baru akan dijatuhkan jika uji coba rudal itu berlanjut.")
    assert found[0][1:3] == (False, "memperingatkan") and found[0][3]["name"] == "Lloyd Austin"


def test_a_body_that_speaks_speaks_for_its_state():
    found = quotes_of("Kremlin mengatakan bahwa pembicaraan dengan Washington akan dilanjutkan pekan depan di Jenewa.")
    assert found[0][2] == "mengatakan"
    assert found[0][3]["name"] is None and found[0][3]["countries"] == ["RUS"]


def test_a_second_report_in_a_sentence_ends_the_first():
    found = quotes_of("Presiden Korea Selatan Moon Jae-in mengatakan bahwa kedua negara akan terus bekerja sama "
                      "dalam bidang ekonomi, dan saat itu Moon juga mengatakan bahwa dialog dengan Korea Utara "
                      "tetap penting.")
    assert [(text, speaker["name"]) for text, _, _, speaker in found] == [
        ("kedua negara akan terus bekerja sama dalam bidang ekonomi", "Moon Jae-in"),
        ("dialog dengan Korea Utara tetap penting", "Moon Jae-in")]
    # a person reported inside what was said, with no comma before, is part of it
    nested = quotes_of("Xi Jinping mengatakan bahwa Putin menyatakan dukungan penuh untuk rencana perdamaian itu.")
    assert [text for text, _, _, _ in nested] == ["Putin menyatakan dukungan penuh untuk rencana perdamaian itu"]


def test_a_state_heading_the_clause_of_a_speech_verb_speaks_for_itself():
    found = quotes_of("Badai itu melanda pesisir.\n\n"
                      "Jerman pada hari Senin mengatakan bahwa penyelidikan akan diperluas ke seluruh satuan.")
    assert found[0][3]["countries"] == ["DEU"]
