"""experiments.receivers: the recommender's events and questions, answered here."""

from __future__ import annotations

from experiments.models import Event
from experiments.receivers import build_variant, satisfaction_read
from recommender import pages, signals, variants


def test_it_speaks_the_recommenders_vocabulary():
    assert set(signals.FEEDBACK_KINDS) <= set(Event.Kind.values)
    assert {signals.PAGE, signals.API} == set(Event.Surface.values)


def test_it_is_connected_once_django_is_ready():
    # ExperimentsConfig.ready() (web, commands and the Celery worker alike).
    assert signals.recommendations_shown.has_listeners()
    assert signals.feedback_given.has_listeners()
    assert variants._provider is build_variant
    assert pages._satisfaction_reader is satisfaction_read
