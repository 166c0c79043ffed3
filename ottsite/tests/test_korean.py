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
