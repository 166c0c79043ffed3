"""factory_boy factories for the catalogue (movies, series, genres, availability)."""

from __future__ import annotations

import factory
from django.utils import timezone

from catalog.models import Availability, Genre, Movie, Platform


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = "Drama"


class MovieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Movie
        skip_postgeneration_save = True

    source = "test"
    source_id = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Test Movie {n}")
    year = 1995

    class Params:
        # A title from the TMDB catalogue sync: no ratings, no genre rows, TMDB facts.
        synced = factory.Trait(
            source=Movie.SOURCE_TMDB_MOVIE,
            tmdb_id=factory.SelfAttribute("source_id"),
            runtime=110,
            tmdb_genres=["Drama"],
            popularity=10.0,
            vote_count=100,
        )
        series = factory.Trait(
            synced=True,
            source=Movie.SOURCE_TMDB_TV,
            kind=Movie.Kind.SERIES,
            title=factory.Sequence(lambda n: f"Test Series {n}"),
            runtime=None,
            seasons=1,
        )

    @factory.post_generation
    def genres(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.genres.set([GenreFactory(name=name) for name in extracted])


class SeriesFactory(MovieFactory):
    """A synced TMDB series (MovieFactory's `series` trait)."""

    series = True


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    movie = factory.SubFactory(MovieFactory)
    platform = factory.LazyFunction(
        lambda: Platform.objects.get(region="KR", slug="netflix")
    )
    region = factory.LazyAttribute(lambda o: o.platform.region)
    offer_type = "subscription"
    source = "tmdb"
    last_checked = factory.LazyFunction(timezone.now)
