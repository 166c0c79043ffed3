"""A card's "because you like 〈title〉" reason uses the particle the title needs."""

from __future__ import annotations

from django.utils import translation

from recommender.models import RecommendationItem
from recommender.pages import reason_text


def _reason(title: str, language: str) -> str:
    item = RecommendationItem(reason_data={"kind": "similar_to", "item_id": 7})
    with translation.override(language):
        return reason_text(item, {7: title})


def test_it_joins_a_title_with_the_particle_koreans_say():
    assert _reason("Titanic", "ko") == "좋아하는 작품 〈Titanic〉과 비슷해요"
    assert _reason("스타워즈", "ko") == "좋아하는 작품 〈스타워즈〉와 비슷해요"
    assert _reason("오징어 게임", "ko") == "좋아하는 작품 〈오징어 게임〉과 비슷해요"
    assert _reason("Titanic", "en") == "Because you like Titanic"
