"""experiment_report and the admin report page on a tiny, fixed event log."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from experiments.models import Assignment, Event, SyntheticUser
from experiments.report import decision_sentence, experiment_report
from experiments.services import VariantSpec, experiment_create
from experiments.stats import compare_rates, sample_ratio_check
from recommender.tests.factories import UserFactory, ready_set

pytestmark = pytest.mark.django_db

Kind = Event.Kind


def _user_in(experiment, variant_name, *, events=(), synthetic=False):
    """A user exposed to a variant, one impressed set, and the given events."""
    user = UserFactory()
    variant = experiment.variants.get(name=variant_name)
    Assignment.objects.create(experiment=experiment, variant=variant, user=user)
    rec_set = ready_set(user, movies=1)
    rec_set.experiment, rec_set.variant = experiment, variant
    rec_set.save()
    common = {"user": user, "experiment": experiment, "variant": variant}
    Event.objects.create(
        kind=Kind.IMPRESSION, surface="page", recommendation_set=rec_set, **common
    )
    for kind, value, data in events:
        Event.objects.create(
            kind=kind,
            surface="page",
            recommendation_set=rec_set,
            value=value,
            data=data,
            **common,
        )
    if synthetic:
        SyntheticUser.objects.create(user=user, run="test")
    return user


@pytest.fixture
def experiment(db):
    experiment = experiment_create(
        name="tiny",
        variants=[
            VariantSpec("control", 1, {}, is_control=True),
            VariantSpec("treatment", 1, {"use_demographics": False}),
        ],
        planned_sample_size=3,
    )
    paid = {"is_subscribed": True}
    unpaid = {"is_subscribed": False}
    # control: 3 users; satisfaction 3, 4, 5; one paid click-out; one save
    _user_in(experiment, "control", events=[(Kind.SATISFACTION, 3, {})])
    _user_in(
        experiment,
        "control",
        events=[(Kind.SATISFACTION, 4, {}), (Kind.CLICK_OUT, None, paid)],
    )
    _user_in(
        experiment,
        "control",
        events=[(Kind.SATISFACTION, 5, {}), (Kind.WATCHLIST_ADD, None, {})],
    )
    # treatment: 3 users; satisfaction 4, 5, 5 (the last user answered 4 then
    # gave a rating of 2); two unpaid click-outs; one dismissal
    _user_in(
        experiment,
        "treatment",
        events=[(Kind.SATISFACTION, 4, {}), (Kind.CLICK_OUT, None, unpaid)],
    )
    _user_in(
        experiment,
        "treatment",
        events=[(Kind.SATISFACTION, 5, {}), (Kind.CLICK_OUT, None, unpaid)],
    )
    _user_in(
        experiment,
        "treatment",
        events=[
            (Kind.SATISFACTION, 5, {}),
            (Kind.DISMISSAL, None, {}),
            (Kind.RATING, 2, {}),
        ],
    )
    # A simulated user with a terrible experience: left out unless asked for.
    _user_in(
        experiment, "treatment", events=[(Kind.SATISFACTION, 1, {})], synthetic=True
    )
    return experiment


def _variant(report, name):
    return next(v for v in report.variants if v["variant"] == name)


def test_it_counts_each_variants_metrics(experiment):
    report = experiment_report(experiment=experiment)
    control, treatment = _variant(report, "control"), _variant(report, "treatment")
    assert control["exposed_users"] == treatment["exposed_users"] == 3
    assert control["ctr"] == pytest.approx(1 / 3)
    assert treatment["ctr"] == pytest.approx(2 / 3)
    assert control["conversion"] == 0 and treatment["conversion"] == pytest.approx(
        2 / 3
    )
    assert control["save_rate"] == pytest.approx(1 / 3)
    assert treatment["dismissal_rate"] == pytest.approx(1 / 3)
    assert control["satisfaction"] == pytest.approx(4.0)
    assert treatment["satisfaction"] == pytest.approx(14 / 3)
    assert treatment["mean_rating"] == 2 and treatment["mean_rating_n"] == 1


def test_it_compares_to_control_with_the_tests_of_the_stats_module(experiment):
    report = experiment_report(experiment=experiment)
    rows = {c.metric: c for c in report.comparisons["treatment"]}
    assert rows["conversion"].p_value == pytest.approx(
        compare_rates("conversion", 0, 3, 2, 3).p_value
    )
    # satisfaction: [3, 4, 5] vs [4, 5, 5]; Welch by hand: diff 2/3,
    # se = sqrt(1/3 + (1/3)/3) = 0.6667, t = 1.0, df = 3.2
    sat = rows["satisfaction"]
    assert sat.difference == pytest.approx(2 / 3)
    assert sat.p_value == pytest.approx(0.386809, abs=1e-5)
    assert all(c.p_holm >= c.p_value for c in rows.values() if c.p_value == c.p_value)


def test_it_includes_simulated_users_only_when_asked(experiment):
    with_sim = experiment_report(experiment=experiment, include_simulated=True)
    treatment = _variant(with_sim, "treatment")
    assert treatment["exposed_users"] == 4
    assert treatment["satisfaction"] == pytest.approx((4 + 5 + 5 + 1) / 4)


def test_it_refuses_to_call_a_winner_before_the_planned_sample_size(experiment):
    experiment.planned_sample_size = 500
    report = experiment_report(experiment=experiment)
    assert report.decision.startswith("Keep running: 3 of the planned 500")


def test_it_decides_once_the_sample_is_reached(experiment):
    report = experiment_report(experiment=experiment)
    assert "treatment shows no significant difference" in report.decision
    assert "Holm-adjusted" in report.decision


def test_it_flags_a_sample_ratio_mismatch(experiment):
    sentence = decision_sentence(
        experiment,
        {"control": 3, "treatment": 3},
        {},
        sample_ratio_check([400, 600], [1, 1]),
    )
    assert sentence.startswith("Sample ratio mismatch")


def test_it_prints_text_json_and_csv(experiment, tmp_path, capsys):
    call_command("experiment_report", "tiny")
    text = capsys.readouterr().out
    assert "Decision:" in text and "satisfaction" in text
    path = tmp_path / "report.csv"
    call_command("experiment_report", "tiny", "--json", "--csv", str(path))
    body = json.loads(capsys.readouterr().out)
    assert body["experiment"] == "tiny" and body["sample_ratio"]["observed"] == [3, 3]
    rows = list(csv.DictReader(path.open()))
    assert {r["metric"] for r in rows} == {
        "ctr",
        "conversion",
        "save_rate",
        "dismissal_rate",
        "mean_rating",
        "satisfaction",
    }
    call_command("experiment_report", "tiny", "--json", "--include-simulated")
    body = json.loads(capsys.readouterr().out)
    assert body["variants"][1]["exposed_users"] == 4


def test_it_names_an_unknown_experiment():
    with pytest.raises(CommandError, match="No experiment named 'nope'"):
        call_command("experiment_report", "nope")


def test_it_shows_the_report_page_with_its_charts(client, admin_user, experiment):
    client.force_login(admin_user)
    url = f"/admin/experiments/experiment/{experiment.pk}/report/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-chart="ci"' in html and "Users exposed per day" in html
    assert "Decision:" in html and "cdn" not in html.lower()
    listing = client.get("/admin/experiments/experiment/").content.decode()
    assert url in listing


def test_the_report_page_reads_in_korean_with_values_for_people(
    admin_client, experiment
):
    url = f"/admin/experiments/experiment/{experiment.pk}/report/"
    html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "실험 보고서: tiny" in html and "결정:" in html
    variants = html.split("data-variants", 1)[1].split("</table>", 1)[0]
    # control: click-through 1/3, satisfaction 4; treatment 2/3 and 14/3.
    assert "기본 설정" in variants and "인구통계 사용 안 함" in variants
    assert "33.3%" in variants and "66.7%" in variants
    assert "4.00 (3)" in variants and "4.67 (3)" in variants
    comparison = html.split('data-comparison="treatment"', 1)[1].split("</table>")[0]
    assert "만족도" in comparison and "+0.67" in comparison
    assert "+33.3%p" in comparison  # click-through 1/3 -> 2/3, percentage points
    assert "두 비율 z 검정" in comparison
    assert "대조군과 유의한 차이가 없습니다" in html
    for raw in ("use_demographics", "0.3333", "0.6667", "two-proportion", "Decision"):
        assert raw not in html, raw
    listing = admin_client.get(
        "/admin/experiments/experiment/", HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "선택한 초안 실험 시작" in listing and "선택한 실험 중지" in listing
    assert f'<a href="{url}">보고서</a>' in listing


def test_it_keeps_the_report_page_from_strangers(client, owner, experiment):
    url = f"/admin/experiments/experiment/{experiment.pk}/report/"
    assert "/admin/login/" in client.get(url)["Location"]
    client.force_login(owner)
    assert "/admin/login/" in client.get(url)["Location"]
    client.logout()


def test_it_404s_an_unknown_experiment_report(admin_client):
    assert (
        admin_client.get("/admin/experiments/experiment/999999/report/").status_code
        == 404
    )


def test_a_variants_configuration_reads_as_words():
    from django.utils import translation

    from experiments.report_display import config_label

    config = {"method": "ranker", "use_demographics": False, "k": 10}
    with translation.override("ko"):
        assert config_label({}) == "기본 설정"
        assert config_label(config) == "방법: 학습된 랭커, 인구통계 사용 안 함, 10편"
        assert config_label({"show_plan": False}) == "계획 숨김"
    with translation.override("en"):
        assert config_label({"diversity": 0.3, "show_plan": True}) == (
            "diversity 0.30, plan shown"
        )
