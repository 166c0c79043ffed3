"""Title normalisation shared by search and availability matching (no Django).

MovieLens writes leading articles at the end ("Usual Suspects, The") and puts
alternate titles in parentheses ("Cité des enfants perdus, La (City of Lost
Children, The)").
"""

from __future__ import annotations

import re
import unicodedata

ARTICLES = (
    "The",
    "A",
    "An",
    "La",
    "Le",
    "Les",
    "L'",
    "Il",
    "Das",
    "Der",
    "Die",
    "El",
    "Los",
    "Las",
    "Det",
    "Den",
)
_TRAILING_ARTICLE = re.compile(
    r"^(?P<body>.+?),\s*(?P<article>" + "|".join(re.escape(a) for a in ARTICLES) + r")$"
)
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NON_WORD_UNICODE = re.compile(r"[\W_]+")


def _article_front(title: str) -> str:
    match = _TRAILING_ARTICLE.match(title.strip())
    if not match:
        return title.strip()
    article = match.group("article")
    sep = "" if article.endswith("'") else " "
    return f"{article}{sep}{match.group('body')}"


def display_title(title: str) -> str:
    """'Usual Suspects, The' -> 'The Usual Suspects' (alternate titles kept)."""
    main = _PARENS.sub("", title).strip()
    alternates = _PARENS.findall(title)
    shown = _article_front(main)
    if alternates:
        shown += "".join(f" ({_article_front(a)})" for a in alternates)
    return shown


def title_variants(title: str) -> list[str]:
    """Every name a movie goes by: the main title and each parenthesised alternate."""
    main = _PARENS.sub("", title).strip()
    names = [main, *_PARENS.findall(title)]
    return [_article_front(n) for n in names if n.strip()]


def normalise(title: str) -> str:
    """Lower-case ASCII words without a leading article: for matching and search."""
    text = _article_front(title)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = text.replace("&", " and ")
    words = _NON_WORD.sub(" ", text).split()
    if words and words[0] in {
        "the",
        "a",
        "an",
        "la",
        "le",
        "les",
        "l",
        "il",
        "das",
        "der",
        "die",
        "el",
        "los",
        "las",
    }:
        words = words[1:]
    return " ".join(words)


def normalise_unicode(title: str) -> str:
    """Lower-case words in any script (Korean titles), punctuation dropped."""
    text = unicodedata.normalize("NFC", title).lower()
    return " ".join(_NON_WORD_UNICODE.sub(" ", text).split())


def is_latin(text: str) -> bool:
    """True when the text is ASCII once accents are dropped ("Amélie", not "기생충")."""
    if text.isascii():
        return True
    decomposed = unicodedata.normalize("NFKD", text)
    return all(c.isascii() or unicodedata.combining(c) for c in decomposed)
