"""The plan experiment: arms shown/hidden through the experiment machinery, and
click-outs from the plan page counted as conversions of the set's arm."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from catalog.models import Platform
from experiments.config import (
    ConfigError,
    variant_config_parse,
)
from experiments.models import Assignment, Event, Experiment
from experiments.report import experiment_report
from experiments.services import VariantSpec, experiment_create
from ottsite.lib.errors import ValidationFailed
from planner.experiment import PLAN_EXPERIMENT, plan_experiment_create
from planner.tests.support import kr_prices, profile_make, recommended, title_on

pytestmark = pytest.mark.django_db
LINK = "data-plan-link"


def test_a_variant_may_show_or_hide_the_plan():
    assert variant_config_parse({"show_plan": False}).show_plan is False
    assert variant_config_parse({}).show_plan is True
    with pytest.raises(ConfigError):
        variant_config_parse({"show_plan": "no"})
    with pytest.raises(ValidationFailed):
        experiment_create(
            name="bad",
            variants=[
                VariantSpec("a", config={"show_plan": 0}, is_control=True),
                VariantSpec("b"),
            ],
        )


def test_it_creates_the_experiment_with_a_hidden_control():
    experiment = plan_experiment_create()
    assert experiment.status == Experiment.Status.DRAFT
    assert experiment.primary_metric == Experiment.Metric.CONVERSION
    arms = {v.name: (v.is_control, v.config) for v in experiment.variants.all()}
    assert arms == {"hidden": (True, {"show_plan": False}), "shown": (False, {})}


def test_the_command_creates_it_once(capsys):
    call_command("plan_experiment")
    call_command("plan_experiment")
    assert Experiment.objects.filter(name=PLAN_EXPERIMENT).count() == 1
    assert "exists already" in capsys.readouterr().out


@pytest.fixture
def experiment():
    return plan_experiment_create()


@pytest.fixture
def titles(owner):
    """Netflix is paid for; R1 is on tving (not paid for), R2 on netflix."""
    kr_prices()
    profile_make(owner, budget=30000, subscriptions=("netflix",))
    r1 = title_on("tving", title="R1")
    r2 = title_on("netflix", title="R2")
    return r1, r2


def _set_in_arm(owner, experiment, arm, movies):
    rec_set = recommended(owner, [(m, 4.0) for m in movies])
    variant = experiment.variants.get(name=arm)
    rec_set.experiment, rec_set.variant = experiment, variant
    rec_set.save(update_fields=["experiment", "variant"])
    return rec_set


@pytest.mark.parametrize(("arm", "is_linked"), [("hidden", False), ("shown", True)])
def test_the_advice_links_to_the_plan_only_in_the_shown_arm(
    owner_client, owner, experiment, titles, arm, is_linked
):
    _set_in_arm(owner, experiment, arm, titles)
    html = owner_client.get(reverse("recommender:latest")).content.decode()
    assert (LINK in html) is is_linked


def test_a_plan_clickout_to_an_unpaid_service_is_a_conversion_of_the_arm(
    owner_client, owner, experiment, titles
):
    r1, r2 = titles
    Platform.objects.filter(region="KR", slug="tving").update(
        homepage="https://www.tving.com/"
    )
    rec_set = _set_in_arm(owner, experiment, "shown", titles)
    html = owner_client.get(reverse("planner:plan")).content.decode()
    url = reverse("planner:clickout", args=[r1.pk, "tving"])
    assert url in html
    response = owner_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "https://www.tving.com/"
    event = Event.objects.get(kind=Event.Kind.CLICK_OUT)
    assert (event.recommendation_set_id, event.variant.name) == (rec_set.pk, "shown")
    assert event.data == {
        "offer_type": "subscription",
        "is_subscribed": False,
        "from": "plan",
    }
    # On the service already paid for: a click-out, not a conversion.
    owner_client.get(reverse("planner:clickout", args=[r2.pk, "netflix"]))
    assert Event.objects.filter(data__is_subscribed=True).count() == 1
    Assignment.objects.create(
        experiment=experiment, user=owner, variant=rec_set.variant
    )
    report = experiment_report(experiment=experiment)
    shown = next(v for v in report.variants if v["variant"] == "shown")
    assert shown["conversion"] == 1.0


def test_a_clickout_needs_a_title_of_my_plan_and_a_real_offer(
    owner_client, owner, other_user, titles
):
    r1, _r2 = titles
    recommended(owner, [(r1, 4.0)])
    theirs = title_on("wavve", title="Theirs")
    recommended(other_user, [(theirs, 4.0)])
    for movie_id, slug in ((theirs.pk, "wavve"), (r1.pk, "wavve"), (r1.pk, "nope")):
        url = reverse("planner:clickout", args=[movie_id, slug])
        assert owner_client.get(url).status_code == 404
    assert not Event.objects.exists()


def test_a_clickout_needs_a_login_and_a_get(owner_client, titles):
    url = reverse("planner:clickout", args=[titles[0].pk, "tving"])
    assert Client().get(url).status_code == 302
    assert owner_client.post(url).status_code == 405
    assert not Event.objects.exists()
