import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warta.trie import alternation

# Few letters, so that phrases share beginnings and turn up in the text often.
WORDS = st.text(alphabet="abAB -.", min_size=1, max_size=6).filter(lambda p: p.strip() == p and p)


def sorted_alternation(phrases, space=r"\ "):
    """The plain form the trie replaces: every phrase, longest first."""
    return "|".join(re.escape(p).replace(r"\ ", space) for p in sorted(set(phrases), key=len, reverse=True))


@given(st.lists(WORDS, min_size=1, max_size=30), st.text(alphabet="abAB -.\n", max_size=80),
       st.sampled_from([0, re.IGNORECASE]), st.sampled_from([r"\ ", r"\s+"]))
def test_the_trie_matches_what_the_longest_first_alternation_matches(phrases, text, flags, space):
    for context in ("(?:{})", r"\b(?:{})\b", r"(?:{})\s+(?=[A-Z])"):  # with what follows, backtracking too
        trie = re.compile(context.format(alternation(phrases, space, ignore_case=bool(flags))), flags)
        plain = re.compile(context.format(sorted_alternation(phrases, space)), flags)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_shared_beginnings_are_written_once():
    pattern = alternation(["menteri", "menteri luar negeri", "menteri pertahanan", "presiden"])
    assert pattern == r"(?:menteri(?:\ (?:luar\ negeri|pertahanan))?|presiden)"
    assert re.fullmatch(pattern, "menteri luar negeri") and not re.fullmatch(pattern, "menteri luar")


def test_ignoring_case_the_longest_phrase_still_wins():
    # Built as written, `B` and `bA` are two branches and `B` would match first on `BA`.
    assert re.match(alternation(["B", "bA"], ignore_case=True), "BA").group() == "BA"


def test_no_phrase_or_an_empty_one_is_refused():
    with pytest.raises(ValueError):
        alternation([])
    with pytest.raises(ValueError):
        alternation(["presiden", ""])
