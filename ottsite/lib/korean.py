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
_OPENING_QUOTES = "「『〈《['\"‘“("
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


# Letter names, for acronyms read letter by letter (E.T. -> 이티, JFK -> 제이에프케이):
# only L (엘), M (엠), N (엔) and R (알) end in a consonant.
_LETTER_NAME_BATCHIM = frozenset("LMNR")
_ACRONYM = re.compile(r"(?:[A-Z]\.?){1,3}")
_VOWELS = frozenset("aeiouy")


def has_batchim(word: str) -> bool:
    """Whether the word, as read in Korean, ends with a final consonant."""
    text = word.rstrip(" +.!?")
    if not text:
        return False
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return (code - _HANGUL_FIRST) % 28 != 0
    if last in _DIGIT_BATCHIM:
        return _DIGIT_BATCHIM[last]
    token = re.split(r"[\s\-/:]+", word.strip().rstrip("!?"))[-1].lstrip(
        _OPENING_QUOTES
    )
    if _ACRONYM.fullmatch(token) and token.upper() == token:
        return token.rstrip(".")[-1] in _LETTER_NAME_BATCHIM
    letters = re.sub(r"[^a-z]", "", text.lower())
    return _latin_has_batchim(letters) if letters else False


def _latin_has_batchim(word: str) -> bool:
    """How a Latin word's ending is written in Hangul (외래어 표기법 and common use).

    Nasals and l close the syllable (Batman 배트맨, Scream 스크림, King 킹, Apple 애플,
    Dune 듄, Time 타임). A final p, b, k/c/ck, t after one short vowel does too (Up 업,
    Club 클럽, Titanic 타이타닉, Rock 록, Hamlet 햄릿), but not after a long vowel or a
    cluster (Heat 히트, Dark 다크, Contact 콘택트). Everything else ends in a vowel
    sound (Star 스타, Matrix 매트릭스, Speed 스피드, Cake 케이크).
    """
    if word.endswith(("ng", "m", "n", "l", "mb")):
        return True
    if word.endswith("e") and len(word) > 2:
        # A silent e: what counts is the consonant before it (Dune, Time, Apple).
        return word[-2] in "mnl" and word[-3] not in "r"
    if word.endswith("ck"):
        return True
    last = word[-1]
    if last not in "pbkct" or len(word) < 2:
        return False
    before = word[-2]
    if before not in _VOWELS:
        return False
    # A vowel pair before the stop is long (Heat, Soap, Speak) except -ook (Book 북).
    if len(word) >= 3 and word[-3] in _VOWELS:
        return word.endswith(("ook",))
    return before != "y"


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
