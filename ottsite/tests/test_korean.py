from __future__ import annotations

import pytest

from ottsite.lib.korean import has_batchim, particle, particles_resolve


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("영화", False),
        ("사용자 이름", True),
        ("TVING", True),
        ("Netflix", False),
        ("Wavve", False),
        ("넷플릭스", False),
        ("왓챠", False),
        ("3", True),
        ("2", False),
    ],
)
def test_it_reads_the_final_consonant(word, expected):
    assert has_batchim(word) is expected


def test_it_picks_each_particle_pair():
    assert particle("TVING", "은(는)") == "은"
    assert particle("넷플릭스", "은(는)") == "는"
    assert particle("영화", "이(가)") == "가"
    assert particle("사용자 이름", "와/과") == "과"
    assert particle("서울", "(으)로") == "로"
    assert particle("부산", "(으)로") == "으로"


def test_it_resolves_particles_after_parentheticals_and_quotes():
    assert (
        particles_resolve("TVING(월 ₩13,900)은(는) 해지") == "TVING(월 ₩13,900)은 해지"
    )
    assert particles_resolve("〈스타워즈〉을(를) 빼기") == "〈스타워즈〉를 빼기"
    assert particles_resolve("사용자 이름와/과 비밀번호") == "사용자 이름과 비밀번호"
    assert particles_resolve("(는) alone") == "(는) alone"


# How Koreans read the end of 30 titles (the particle after 〈title〉: 과 after a final
# consonant, 와 after a vowel), from the titles' usual Hangul spellings.
TITLES = [
    ("Titanic", "과"),  # 타이타닉
    ("Star Wars", "와"),  # 스타워즈
    ("Toy Story", "와"),  # 토이 스토리
    ("Toy Story 2", "와"),  # 토이 스토리 2 (이)
    ("Apollo 13", "과"),  # 아폴로 13 (십삼)
    ("Se7en", "과"),  # 세븐
    ("Scream", "과"),  # 스크림
    ("Batman", "과"),  # 배트맨
    ("Fight Club", "과"),  # 파이트 클럽
    ("Shrek", "과"),  # 슈렉
    ("The Rock", "과"),  # 더 록
    ("Up", "과"),  # 업
    ("Hamlet", "과"),  # 햄릿
    ("Dune", "과"),  # 듄
    ("Home Alone", "과"),  # 홈 얼론
    ("The Game", "과"),  # 더 게임
    ("L.A. Confidential", "과"),  # L.A. 컨피덴셜
    ("Good Will Hunting", "과"),  # 굿 윌 헌팅
    ("Heat", "와"),  # 히트
    ("Jurassic Park", "와"),  # 쥬라기 파크
    ("Contact", "와"),  # 콘택트
    ("Die Hard", "와"),  # 다이 하드
    ("The Matrix", "와"),  # 매트릭스
    ("Gladiator", "와"),  # 글래디에이터
    ("Babe", "와"),  # 베이브
    ("E.T.", "와"),  # 이티
    ("JFK", "와"),  # 제이에프케이
    ("WALL-E", "와"),  # 월-E (이)
    ("기생충", "과"),
    ("오징어 게임", "과"),
    ("타이타닉", "과"),
    ("스타워즈", "와"),
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_it_joins_a_title_with_the_particle_koreans_say(title, expected):
    assert particles_resolve(f"〈{title}〉와(과) 비슷해요") == (
        f"〈{title}〉{expected} 비슷해요"
    )
