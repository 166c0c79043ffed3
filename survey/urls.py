from __future__ import annotations

app_name = "survey"

urlpatterns: list = []
