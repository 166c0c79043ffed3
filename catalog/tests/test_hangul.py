"""Sound keys of Hangul loanword spellings and English titles (catalog.hangul)."""

from __future__ import annotations

import pytest

from catalog.hangul import hangul_key, has_hangul, latin_key


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("타이타닉", "Titanic"),
        ("터미네이터", "Terminator"),
        ("다이 하드", "Die Hard"),
        ("스타워즈", "Star Wars"),
        ("토이 스토리", "Toy Story"),
        ("알라딘", "Aladdin"),
        ("포레스트 검프", "Forrest Gump"),
        ("더 록", "The Rock"),
        ("에어 포스 원", "Air Force One"),
        ("잉글리쉬 페이션트", "English Patient"),
        ("제리 맥과이어", "Jerry Maguire"),
        ("지.아이.제인", "G.I. Jane"),
        ("싸이코", "Psycho"),
    ],
)
def test_it_gives_a_loanword_spelling_the_key_of_the_english_title(korean, english):
    assert hangul_key(korean) == latin_key(english)


def test_it_drops_what_one_side_writes_and_the_other_does_not_say():
    assert hangul_key("스타") == "sta"  # the helper vowel of 스
    assert latin_key("Star") == "sta"  # a final r
    assert latin_key("Brave") == "plap"  # a final silent e
    assert latin_key("Night") == "nat"  # gh
    assert hangul_key("겟") == latin_key("Get") == "kat"  # a final ㅅ is a t


def test_it_keeps_numbers_and_reads_latin_letters_in_a_korean_title_as_english():
    assert hangul_key("아폴로 13") == latin_key("Apollo 13") == "apala13"
    assert hangul_key("L.A. 컨피덴셜") == latin_key("L.A. Confidential")


def test_it_tells_hangul_from_other_scripts():
    assert has_hangul("타이타닉") and has_hangul("ㅋㅋ")
    assert not has_hangul("Titanic") and not has_hangul("千と千尋")
