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


def test_it_joins_the_favourite_a_title_resembles_with_the_right_particle():
    item = RecommendationItem(reason_data={"kind": "resembles", "item_id": 7})
    with translation.override("ko"):
        assert reason_text(item, {7: "Titanic"}) == (
            "좋아하는 작품 〈Titanic〉과 내용이 닮았어요"
        )
        assert reason_text(item, {7: "스타워즈"}) == (
            "좋아하는 작품 〈스타워즈〉와 내용이 닮았어요"
        )
    with translation.override("en"):
        assert reason_text(item, {7: "Titanic"}) == (
            "Resembles Titanic, one of your favourites"
        )
