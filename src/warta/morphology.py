"""Indonesian derivational morphology, enough to expand a trigger root into the forms news uses.

`derive("tolak", "meN-")` is `menolak`: the nasal prefixes meN- and peN- take the shape of
the root's first sound (me-, mem-, men-, meng-, meny-, menge-) and drop a voiceless k, p, t, s
unless a consonant follows it (`kritik` -> `mengkritik`). ber- and per- lose their r before
an r or a first syllable in -er- (`bekerja`, `berunding`). A root of several words is written
together (`tanda tangan` -> `menandatangani`).

`affix_of` goes the other way, roughly: which affix pattern a form that spaCy's Indonesian lemma
table ties to a root was made with. It lets spellings the rules do not produce
(`mengkonsolidasikan` beside `mengonsolidasikan`) count as the same derivation.
"""
from __future__ import annotations

import re

AFFIXES = ("0", "meN-", "di-", "ber-", "ter-", "peN-an", "per-an", "ke-an", "-an", "meN-kan", "di-kan",
           "meN-i", "di-i", "memper-", "diper-", "memper-kan", "diper-kan", "ber-an")
_VOWELS = set("aeiou")


def _nasal(root: str, stem: str) -> str:
    """meN- or peN- (`stem` is `me` or `pe`) before `root`."""
    first, second = root[0], root[1:2]
    cluster = second and second not in _VOWELS
    if len(re.findall(r"[aeiou]+", root)) == 1:  # a root of one syllable: mengebom, pengeboman
        return stem + "nge" + root
    if first in _VOWELS:
        return stem + "ng" + root
    if first == "k":
        return stem + "ng" + (root if cluster else root[1:])
    if first in "gh":
        return stem + "ng" + root
    if first == "p":
        return stem + "m" + (root if cluster else root[1:])
    if first in "bfv":
        return stem + "m" + root
    if first == "t":
        return stem + "n" + (root if cluster else root[1:])
    if first in "dcjz":
        return stem + "n" + root
    if first == "s":
        return stem + ("n" + root if cluster else "ny" + root[1:])
    return stem + root  # l, m, n, r, w, y: melarang, merebut


def _ber(root: str, stem: str) -> str:
    """ber- / per- / ter- before `root`: the r goes before r and before a first syllable -er-."""
    if root.startswith("r") or root[1:3] == "er":
        return stem[:-1] + root
    return stem + root


def derive(root: str, affix: str) -> str:
    """The form of `root` (lower case, words joined) made with `affix` (one of AFFIXES)."""
    root = root.replace(" ", "").lower()
    if affix not in AFFIXES:
        raise ValueError(f"unknown affix {affix!r}; known: {', '.join(AFFIXES)}")
    if affix == "0":
        return root
    prefix, _, suffix = affix.partition("-")
    if prefix == "meN":
        word = _nasal(root, "me")
    elif prefix == "peN":
        word = _nasal(root, "pe")
    elif prefix in ("ber", "per", "ter"):
        word = _ber(root, prefix)
    elif prefix in ("memper", "diper"):
        word = prefix + root
    else:  # di, ke, or none
        word = prefix + root
    return word + suffix


_PREFIXES = (("memper", "memper-"), ("diper", "diper-"), ("me", "meN-"), ("di", "di-"), ("ber", "ber-"),
             ("be", "ber-"), ("ter", "ter-"), ("per", "per-"), ("pe", "peN-"), ("ke", "ke-"))


def affix_of(form: str, root: str) -> str | None:
    """The affix pattern `form` was made from `root` with, or None when it cannot tell."""
    form, root = form.lower(), root.replace(" ", "").lower()
    if form == root:
        return "0"
    core = root[1:] if len(root) > 3 else root  # what survives a nasal prefix
    for suffix in ("kan", "an", "i", ""):
        if suffix and not form.endswith(suffix):
            continue
        stem = form[: len(form) - len(suffix)] if suffix else form
        at = stem.rfind(core)
        if at <= 0 or at + len(core) != len(stem):
            continue
        head = stem[:at]
        for prefix, name in _PREFIXES:
            if head.startswith(prefix):
                pattern = name + suffix if name.endswith("-") else name
                if name == "peN-" or name == "per-":
                    pattern = name + "an" if suffix == "an" else None
                elif name == "ke-":
                    pattern = "ke-an" if suffix == "an" else None
                if pattern in AFFIXES:
                    return pattern
        if head == "" and suffix == "an":
            return "-an"
    return None
