"""What the actors stage found in a corpus: persons, how many got a country, the most frequent.

    warta extract ../shared/corpus/indosum/articles.jsonl -o /tmp/indosum.jsonl
    python scripts/actor_report.py /tmp/indosum.jsonl [--top 30]

Counts person mentions, the share with a country, distinct canonical persons, and lists the
most frequent persons by the number of articles that name them, with the country they got
and which finder found them: the list to read for names that are not persons or are wrong.
"""
import argparse
import json
from collections import Counter, defaultdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", help="JSON Lines written by `warta extract`")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    mentions = with_country = 0
    articles, countries, types = Counter(), defaultdict(Counter), Counter()
    for line in open(args.records, encoding="utf-8"):
        record = json.loads(line)
        named = set()
        for entity in record.get("entities", []):
            types[entity["type"]] += 1
            if entity["type"] != "PERSON":
                continue
            mentions += 1
            with_country += bool(entity.get("country"))
            named.add(entity["name"])
            countries[entity["name"]][entity.get("country")] += 1
        articles.update(named)
    with_any = sum(1 for name in articles if any(countries[name]))
    print(f"entity mentions by type: {dict(types)}")
    print(f"person mentions: {mentions}, with a country: {with_country} ({with_country / max(mentions, 1):.1%})")
    print(f"distinct persons: {len(articles)}, with a country: {with_any} ({with_any / max(len(articles), 1):.1%})")
    print(f"\n{'articles':>8}  person  (country)")
    for name, count in articles.most_common(args.top):
        country = countries[name].most_common(1)[0][0]
        print(f"{count:8}  {name}  ({country or '-'})")


if __name__ == "__main__":
    main()
