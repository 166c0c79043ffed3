from __future__ import annotations

app_name = "recommender"

urlpatterns: list = []
