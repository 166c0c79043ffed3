"""Korean particles (josa) chosen by the final consonant (batchim) of the word before.

"TVING은", "넷플릭스는", "사용자 이름과": translators write the neutral form
("은(는)", "이(가)", "을(를)", "와(과)" or "와/과") after a placeholder and
``particles_resolve`` picks the right one once the word is known.
"""

from __future__ import annotations

import re

# (after a final consonant, after a vowel) for each neutral spelling.
_PAIRS: dict[str, tuple[str, str]] = {
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "와(과)": ("과", "와"),
    "과(와)": ("과", "와"),
    "와/과": ("과", "와"),
    "과/와": ("과", "와"),
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "(으)로": ("으로", "로"),
}
_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_PAIRS, key=len, reverse=True))
)
_CLOSING_QUOTES = "」』〉》]'\"’”"
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# How a final Latin letter or digit is read aloud: True when it ends in a consonant
# (TVING -> 티빙, Film -> 필름, 3 -> 삼), False for a vowel (Netflix -> 넷플릭스).
_DIGIT_BATCHIM = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}


def has_batchim(word: str) -> bool:
    """Whether the word, as read in Korean, ends with a final consonant."""
    text = word.rstrip(" +.")
    if not text:
        return False
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return (code - _HANGUL_FIRST) % 28 != 0
    if last in _DIGIT_BATCHIM:
        return _DIGIT_BATCHIM[last]
    lower = text.lower()
    # Loanwords read with a final consonant: -ng (빙), -m (름), -n (넷), -l (를)...
    return lower.endswith(("ng", "m", "n", "l", "k", "ck"))


def particle(word: str, neutral: str) -> str:
    """The particle that follows ``word``: particle("TVING", "은(는)") == "은"."""
    with_batchim, without = _PAIRS[neutral]
    if neutral == "(으)로" and word.rstrip()[-1:] and _ends_in_rieul(word):
        return without
    return with_batchim if has_batchim(word) else without


def _ends_in_rieul(word: str) -> bool:
    code = ord(word.rstrip()[-1])
    return _HANGUL_FIRST <= code <= _HANGUL_LAST and (code - _HANGUL_FIRST) % 28 == 8


def _word_before(text: str) -> str:
    """The word a particle attaches to: parentheticals after it are skipped."""
    text = text.rstrip()
    while text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                text = text[:i].rstrip()
                break
        else:
            break
    return text.rstrip(_CLOSING_QUOTES)


def particles_resolve(text: str) -> str:
    """Replace every neutral particle with the one its preceding word needs."""
    out: list[str] = []
    last = 0
    for match in _PATTERN.finditer(text):
        word = _word_before(text[: match.start()])
        if not word:
            continue
        out.append(text[last : match.start()])
        out.append(particle(word, match.group()))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
