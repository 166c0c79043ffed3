from __future__ import annotations

from django.contrib import admin

from accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "age", "gender", "occupation", "region", "monthly_budget"]
    list_filter = ["region", "gender"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["subscriptions"]
    raw_id_fields = ["user"]
