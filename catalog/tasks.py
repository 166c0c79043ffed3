"""Celery tasks of the catalogue."""

from __future__ import annotations

from celery import shared_task

from catalog.services import movielens_import


@shared_task(name="catalog.movielens_import")
def movielens_import_task(source: str) -> dict:
    """Import a MovieLens source (idempotent, so safe to retry)."""
    summary = movielens_import(source=source)
    return {
        "movies": summary.movies,
        "users": summary.users,
        "ratings": summary.ratings,
    }
