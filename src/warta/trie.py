"""Regular expressions for long lists of phrases (role words, citation cues), built as a trie.

`re` tries the branches of `a|b|c` one after another at every position of the text, so an
alternation of a few hundred phrases, sorted longest first, is slow on every article. The same
phrases as a trie (`menteri(?:\\ luar\\ negeri|\\ pertahanan)?`) share their beginnings: at most
one branch gets past the first letter. It matches what the sorted alternation matches, the
longest phrase where several begin at the same place, because every optional tail is greedy.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def alternation(phrases: Iterable[str], space: str = r"\ ", ignore_case: bool = False) -> str:
    """A pattern matching any of `phrases`, the longest where several match at one place.

    A space in a phrase becomes `space` (`\\s+` to allow any run of white space). With
    `ignore_case` the pattern is `(?i:...)`, built from the phrases in lower case: the trie
    branches on letters as written, so `B` and `bA` would otherwise be two branches, and `B`
    would win over the longer `bA` on `BA`."""
    root: dict = {}
    for phrase in phrases:
        phrase = phrase.lower() if ignore_case else phrase
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    if not root or _END in root:
        raise ValueError("alternation needs at least one phrase, and no empty one")
    pattern = _pattern(root, space)
    return f"(?i:{pattern})" if ignore_case else pattern


def _pattern(node: dict, space: str) -> str:
    branches = [(space if char == " " else re.escape(char)) + _pattern(child, space)
                for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    if _END in node:  # the phrase may end here: the longer ones are tried first (greedy `?`)
        return f"(?:{'|'.join(branches)})?"
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
