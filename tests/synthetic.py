"""Many distinct, news-like Indonesian articles, generated (for tests that need volume: worker
processes, crash safety, hostile corpora). Written for these tests, from a few templates."""
import json
import random
from pathlib import Path

PARTIES = [("Presiden Rusia Vladimir Putin", "Moskow"), ("Presiden China Xi Jinping", "Beijing"),
           ("Menteri Luar Negeri Retno Marsudi", "Jakarta"), ("Perdana Menteri Jepang Fumio Kishida", "Tokyo"),
           ("Presiden Prancis Emmanuel Macron", "Paris"), ("Kanselir Jerman Olaf Scholz", "Berlin"),
           ("Presiden Korea Selatan Yoon Suk-yeol", "Seoul"), ("Perdana Menteri India Narendra Modi", "New Delhi")]
ACTS = ["bertemu dengan", "mengecam", "menandatangani perjanjian perdagangan dengan", "mendesak",
        "menyatakan dukungan kepada", "menuduh"]
TOPICS = ["kerja sama energi", "keamanan maritim", "perdagangan bebas", "krisis pangan", "perubahan iklim",
          "sanksi ekonomi", "pertukaran pelajar", "infrastruktur pelabuhan"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def article(number: int, rng: random.Random) -> dict:
    (actor, city), (other, _) = rng.sample(PARTIES, 2)
    act, topic = rng.choice(ACTS), rng.choice(TOPICS)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2024)
    speaker = actor.split()[-1]
    text = (f"{city.upper()} - {actor} {act} {other} dalam pembahasan {topic} pada {day} {MONTHS[month - 1]} "
            f"{year}, menurut laporan nomor {number}.\n\n"
            f"\"Kami ingin {topic} ini membawa hasil bagi rakyat kedua negara,\" kata {speaker} kepada wartawan "
            f"seusai pertemuan ke-{number}.\n\n"
            f"Pertemuan itu membahas pula {rng.choice(TOPICS)} dan {rng.choice(TOPICS)}, serta rencana kunjungan "
            f"balasan pada tahun {year + 1}. Catatan {number * 7919 % 100003}.")
    return {"id": f"sintetis-{number:06d}", "published": f"{year}-{month:02d}-{day:02d}", "text": text}


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps(article(number, rng), ensure_ascii=False) + "\n")
    return path
