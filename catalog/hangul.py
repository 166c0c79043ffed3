"""Sound keys: compare a Korean loanword spelling with the English title it spells.

Most Korean release titles of English-language films are the English title written
in Hangul by the loanword rules (외래어 표기법): 타이타닉 (Titanic), 터미네이터
(Terminator), 다이 하드 (Die Hard). Romanising such a title (Revised Romanisation:
"taitanik", "teomineiteo", "dai hadeu") lands far from the English spelling, and the
romanisation packages on PyPI do exactly that, so both sides are reduced to one
coarse key instead, here:

- consonants fall into classes that the loanword rules map onto each other
  (p b f v -> p, t d -> t, k g c q -> k, s z j ch sh -> s, l r -> l, m, n, h, w);
- every vowel group is one "a", since Hangul and English vowels do not line up;
- what Korean writes but English does not say is dropped: the helper vowel ㅡ
  after a consonant (스, 드), the silent ㅇ; and what English writes but Korean
  does not say: r before a consonant or at the end (Star Wars -> 스타워즈), a
  final silent e, gh, the k of kn, the w and y glides;
- repeats fall together (알라딘, Aladdin), digits stay.

타이타닉 and Titanic both become "tatanak", 다이 하드 and Die Hard "tahat". The
keys are compared with rapidfuzz's ratio by the search. Plain Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3


def _table(sounds: str) -> list[str]:
    """One sound per jamo, "-" for none."""
    return [sound.replace("-", "") for sound in sounds.split()]


# Initials in Unicode order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ
# ㅍ ㅎ (ㅇ is silent at the start of a syllable).
_INITIAL = _table("k k n t t l m p p s s - s s s k t p h")
# Vowels: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ.
# The w-glides keep their w (쿼터, quarter; 트위스터, twister); ㅡ is
# the helper vowel, dropped.
_VOWEL = _table("a a a a a a a a a wa wa wa a a wa wa wa a - a a")
# Finals: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ
# ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ. A final ㅅ spells a t in loanwords (겟, get;
# 로봇, robot); ㅇ is ng.
_FINAL = _table("- k k k n n n t l lk lm lp l l lp l m p p t t n t t k t p -")
# Compatibility jamo typed alone (ㄱ ㄲ ㄳ ... ㅎ), read as initials.
_JAMO = dict(
    zip(
        (chr(code) for code in range(0x3131, 0x314F)),
        _table("k k k n n n t t l l l l l l l l m p p p s s - s s s k t p h"),
        strict=True,
    )
)
# ㅅ ㅆ ㅈ ㅉ ㅊ: before ㅟ they spell sh, j, ch (잉글리쉬, English).
_SH_INITIALS = {9, 10, 12, 13, 14}
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN_WORD = re.compile(r"[a-z]+|[0-9]+")
# Repeated sounds, not digits (13 stays 13).
_REPEAT = re.compile(r"([a-z])\1+")
_HANGUL_RUN = re.compile(r"([\uac00-\ud7a3\u3131-\u318e]+)")
_VOWELS = frozenset("aeiouy")
# Greek ch is a k (psycho: 싸이코).
_CH_AS_K = ("psych", "chr", "chor", "chao", "chara", "chem", "echo", "tech", "mech",
            "orch", "arch", "chiro")  # fmt: skip
# Spelled far from how they sound, or short for what is said (Mrs.: 미세스).
_SAID = {"one": "wan", "once": "wans", "eye": "a", "eyes": "as"}
_SHORT = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint",
          "vs": "versus", "jr": "junior"}  # fmt: skip
# Letters of an initialism are said by name (G.I. Jane: 지.아이. 제인).
_LETTER_NAMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        _table(
            "ei bi si di i ef ji eich ai jei kei el em en o pi kyu ar es ti yu bui "
            "dabeulyu eks wai jet"
        ),
        strict=True,
    )
)
_INITIALISM = re.compile(r"\b(?:[a-z]\.){2,}")
# English words whose th is voiced (the, mother: Korean 더, 마더); elsewhere θ (ㅅ).
_VOICED_TH = {"the", "this", "that", "these", "those", "there", "then", "than",
              "they", "them", "though"}  # fmt: skip


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def hangul_key(text: str) -> str:
    """The sound key of a Hangul spelling (Latin letters in it read as English)."""
    runs = _HANGUL_RUN.split(text)  # other text, Hangul, other text, ...
    return sound_join(
        [_hangul_word(run) if i % 2 else latin_key(run) for i, run in enumerate(runs)]
    )


def _hangul_word(word: str) -> str:
    sounds: list[str] = []
    for position, char in enumerate(word):
        code = ord(char)
        if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
            index = code - _SYLLABLE_FIRST
            first, rest = divmod(index, 588)
            vowel, final = divmod(rest, 28)
            sound = _VOWEL[vowel]
            if first in _SH_INITIALS and sound == "wa":
                # 쉬 spells sh: "shi" (쉰들러), at the end of a word sh alone
                # (잉글리쉬, English).
                is_last = position == len(word) - 1 and vowel == 16 and not final
                sound = "" if is_last else "a"
            sounds += [_INITIAL[first], sound, _FINAL[final]]
        else:
            sounds.append(_JAMO.get(char, ""))
    return _REPEAT.sub(r"\1", "".join(sounds))


def latin_key(text: str) -> str:
    """The sound key of a Latin (English) name, as Korean loanword spelling hears it."""
    return sound_join(latin_words(text))


def latin_words(text: str) -> list[str]:
    """The sound keys of a Latin name's words (numbers as written)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("&", " and ")
    if "." in text:
        text = _INITIALISM.sub(
            lambda m: " ".join(_LETTER_NAMES[c] for c in m.group() if c != "."), text
        )
    return [_english_word(word) for word in _LATIN_WORD.findall(text)]


def sound_join(words: list[str]) -> str:
    """One key of word keys, each without repeats: a repeat across two words falls
    together too ("ta" + "ala" -> "tala"; digits stay as written)."""
    key = ""
    for word in words:
        if key and word and word[0] == key[-1] and not word.isdigit():
            word = word[1:]
        key += word
    return key


@lru_cache(maxsize=100_000)
def _english_word(word: str) -> str:
    if word.isdigit():
        return word
    if word in _SAID:
        return _SAID[word]
    w = word = _SHORT.get(word, word)
    if w.startswith(("kn", "gn", "pn", "wr")) or (w.startswith("ps") and len(w) > 2):
        w = w[1:]
    if w.endswith("mb"):
        w = w[:-1]
    # A final soft ce or ge is an s (force, orange: 포스, 오렌지); a final e after a
    # consonant is not said (brave, fire: 브레이브, 파이어).
    if len(w) > 3 and w.endswith(("ce", "ge")):
        w = w[: -3 if w.endswith("dge") else -2] + "s"
    if (
        len(w) > 3
        and w.endswith("e")
        and w[-2] not in _VOWELS
        and any(v in _VOWELS for v in w[:-2])
    ):
        w = w[:-1]
    out: list[str] = []
    i, n = 0, len(w)

    def at(k: int) -> str:
        return w[k] if 0 <= k < n else ""

    def vowel_next(k: int) -> bool:
        return at(k) in _VOWELS

    while i < n:
        c = w[i]
        nxt = at(i + 1)
        if c in _VOWELS:
            # y before a vowel is a glide (york); otherwise every vowel group is one.
            if c == "y" and vowel_next(i + 1) and i == 0:
                i += 1
                continue
            out.append("a")
            i += 1
            continue
        two, three = w[i : i + 2], w[i : i + 3]
        if three == "sch":
            out.append("sk" if at(i + 3) == "o" else "s")
            i += 3
        elif two == "th":
            out.append("t" if word in _VOICED_TH or w[i + 2 : i + 4] == "er" else "s")
            i += 2
        elif two in ("sh", "zh"):
            out.append("s")
            i += 2
        elif two == "ch":
            greek = at(i + 2) in ("r", "l") or any(g in word for g in _CH_AS_K)
            out.append("k" if greek else "s")
            i += 2
        elif two == "ph":
            out.append("p")
            i += 2
        elif two == "gh":
            out.append("k" if i == 0 else "")
            i += 2
        elif two == "ck":
            out.append("k")
            i += 2
        elif two == "qu":
            out.append("kw")
            i += 2
        elif two == "wh":
            out.append("w")
            i += 2
        elif w[i : i + 3] == "nge":
            out.append("ns")  # strange, angel: 스트레인지, 엔젤
            i += 2
        elif two == "ng":
            # English, single: 잉글리시, 싱글; king, kingdom: 킹, 킹덤.
            out.append("nk" if vowel_next(i + 2) or at(i + 2) in ("l", "r") else "n")
            i += 2
        elif two == "dg":
            out.append("s")
            i += 3 if at(i + 2) == "e" else 2
        elif two == "gu" and i > 0 and vowel_next(i + 2):
            out.append("kw")  # Maguire, language: 맥과이어, 랭귀지
            i += 2
        elif (
            two in ("ti", "si")
            and i > 0
            and (at(i + 2) in ("o", "a") or w[i + 2 : i + 4] == "en")
        ):
            out.append("s")  # mission, nation: 미션, 네이션
            i += 1
        elif two == "tu" and i > 0 and at(i + 2) == "r":
            out.append("s")  # future, picture: 퓨처, 픽처
            i += 1
        elif two in ("ts", "tz") and not vowel_next(i + 2):
            out.append("s")
            i += 2
        else:
            out.append(_consonant(w, i, c, nxt))
            i += 1
    return _REPEAT.sub(r"\1", "".join(out))


def _consonant(w: str, i: int, c: str, nxt: str) -> str:
    if c == "r":
        # Said only before a vowel; a final "re" is a silent e.
        if nxt in _VOWELS and not (nxt == "e" and i + 2 == len(w)):
            return "l"
        return ""
    if c == "c":
        return "s" if nxt in ("e", "i", "y") else "k"
    if c == "g":
        soft = nxt in ("e", "i", "y") and (
            i > 0 or w.startswith(("gen", "geo", "gia", "gin"))
        )
        if w[i:] == "gie" or w[i - 1 : i] == "g":
            soft = False  # boogie, doggie
        return "s" if soft else "k"
    if c == "h":
        return "h" if nxt in _VOWELS else ""
    if c == "w":
        return "w" if nxt in _VOWELS else ""
    if c == "x":
        return "ks"
    return {
        "b": "p", "f": "p", "v": "p", "p": "p", "d": "t", "t": "t", "k": "k",
        "q": "k", "s": "s", "z": "s", "j": "s", "l": "l", "m": "m", "n": "n",
    }.get(c, "")  # fmt: skip
