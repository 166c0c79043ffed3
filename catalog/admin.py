from __future__ import annotations

from django.contrib import admin

from catalog.models import DatasetUser, Genre, Movie, Rating


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name"]


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "source", "source_id", "imdb_id", "tmdb_id"]
    list_filter = ["source", "genres", "year"]
    search_fields = ["title", "imdb_id", "=source_id"]
    filter_horizontal = ["genres"]
    readonly_fields = ["created_at", "updated_at"]
    exclude = ["embedding"]


@admin.register(DatasetUser)
class DatasetUserAdmin(admin.ModelAdmin):
    list_display = ["source_id", "source", "age", "gender", "occupation", "zip_code"]
    list_filter = ["source", "gender", "occupation"]
    search_fields = ["=source_id", "zip_code"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["user", "movie", "rating", "rated_at"]
    list_filter = ["rating", "user__source"]
    search_fields = ["movie__title", "=user__source_id"]
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]
