"""Write examples/contoh.warc.gz: two HTTP responses (an article and an image) as a crawler
would store them, so that the demo and the tests read a real WARC file.

    python scripts/make_example_warc.py
"""
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE = """<html><head><meta charset="utf-8"><title>Korea Selatan dan Indonesia Perluas Kerja Sama Pertahanan</title></head>
<body><div class="menu">Beranda Dunia Olahraga</div><main>
<h1>Korea Selatan dan Indonesia Perluas Kerja Sama Pertahanan</h1>
<p>SEOUL, Kabar Contoh - Korea Selatan dan Indonesia sepakat memperluas kerja sama industri pertahanan, termasuk produksi bersama pesawat latih, dalam pertemuan menteri pertahanan kedua negara di Seoul pada Kamis (14/3).</p>
<p>Menteri Pertahanan Korea Selatan mengatakan kedua negara akan menggelar latihan bersama angkatan laut pada paruh kedua tahun ini, menurut kantor berita Yonhap.</p>
<p>"Kerja sama ini menguntungkan kedua pihak dan memperkuat stabilitas kawasan," kata Menteri Pertahanan Indonesia dalam keterangan tertulis.</p>
</main><footer>Bagikan: Facebook Twitter WhatsApp</footer></body></html>"""


def main() -> None:
    target = Path(__file__).resolve().parent.parent / "examples" / "contoh.warc.gz"
    with open(target, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, content_type, payload in (
                ("https://contoh.example/dunia/korsel-indonesia-pertahanan", "text/html; charset=utf-8",
                 ARTICLE.encode("utf-8")),
                ("https://contoh.example/gambar/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(32))):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(payload), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2024-03-14T08:00:00Z"})
            writer.write_record(record)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
