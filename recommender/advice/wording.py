"""The advice in words: one or more translated sentences with its numbers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext, ngettext

from ottsite.lib.korean import particles_resolve
from recommender.advice.prices import format_price
from recommender.advice.result import PlatformAdvice


def _names(names: Sequence[str]) -> str:
    return gettext(", ").join(names[:-1]) + gettext(" and ") + names[-1]


def advice_sentence(advice: PlatformAdvice) -> str:
    """One or more translated sentences summarising the advice with its numbers."""
    parts: list[str] = []
    k = advice.k
    parts.extend(_known_sentences(advice))
    # Right after the count it is about: after the budget sentence it read as if
    # the budget were too small.
    if not advice.has_verdict:
        parts.append(
            gettext(
                "Too few of them are known to say which service to pay for or "
                "cancel (we need at least %(min)d of %(k)d)."
            )
            % {"min": advice.min_known, "k": k}
        )
    if advice.subscribed:
        now = len(advice.watchable_now)
        parts.append(_included_sentence(advice, now))
    if advice.is_over_budget:
        parts.append(
            gettext(
                "Your services already cost %(current)s a month, more than your "
                "budget of %(budget)s, so we suggest nothing to add."
            )
            % {
                "current": format_price(advice.current_price, advice.currency),
                "budget": format_price(advice.budget, advice.currency),
            }
        )
    if not advice.has_verdict:
        return particles_resolve(" ".join(parts))
    add = advice.best_addition
    if add is not None:
        params = {
            "count": add.added_count,
            "k": k,
            "name": add.name,
            "price": format_price(add.monthly_price, add.currency),
        }
        if advice.subscribed:
            parts.append(
                ngettext(
                    "Adding %(name)s (%(price)s a month) would unlock %(count)d more.",
                    "Adding %(name)s (%(price)s a month) would unlock %(count)d more.",
                    add.added_count,
                )
                % params
            )
        else:
            parts.append(_streams_on_sentence(advice, params))
    elif advice.addition_tie:
        parts.append(
            gettext(
                "%(names)s would each add as much for the same price; "
                "none of them stands out."
            )
            % {"names": _names(advice.addition_tie)}
        )
    elif advice.is_over_budget:
        pass
    elif not advice.subscribed or not advice.watchable_now:
        if not any(p.covered_count for p in advice.per_platform):
            parts.append(
                gettext(
                    "None of the ones we know about is included in a subscription here."
                )
            )
        elif advice.budget is not None:
            parts.append(gettext("No service that fits your budget adds any of them."))
    elif len(advice.watchable_now) < k:
        if advice.budget is not None:
            parts.append(
                gettext("No other service that fits your budget adds any of the rest.")
            )
        else:
            parts.append(gettext("No other service adds any of the rest."))
    cancel = advice.cancel_candidate
    if cancel is not None:
        parts.append(_cancel_sentence(advice))
    elif advice.cancel_tie:
        parts.append(
            gettext(
                "%(names)s each add equally little beyond your other services; "
                "we cannot say which one to drop."
            )
            % {"names": _names(advice.cancel_tie)}
        )
    return particles_resolve(" ".join(parts))


# Counted over the pool (the whole catalogue's best matches) the sentences say so;
# a set without a pool is counted over its shown items, "your top k".


def _known_sentences(advice: PlatformAdvice) -> list[str]:
    values = {"known": advice.known_count, "k": advice.k}
    if not advice.is_over_pool:
        return [
            ngettext(
                "We know where %(known)d of your top %(k)d can be watched in this "
                "region.",
                "We know where %(known)d of your top %(k)d can be watched in this "
                "region.",
                advice.k,
            )
            % values
        ]
    parts = [
        ngettext(
            "We know where %(known)d of your %(k)d best match across the catalogue "
            "can be watched in this region.",
            "We know where %(known)d of your %(k)d best matches across the catalogue "
            "can be watched in this region.",
            advice.k,
        )
        % values
    ]
    unknown = advice.unknown_count
    if unknown:
        parts.append(
            ngettext(
                "Where the other %(count)d streams we do not know yet, so it is "
                "not counted for any service.",
                "Where the other %(count)d stream we do not know yet, so they are "
                "not counted for any service.",
                unknown,
            )
            % {"count": unknown}
        )
    return parts


def _included_sentence(advice: PlatformAdvice, count: int) -> str:
    values = {"count": count, "k": advice.k}
    if advice.is_over_pool:
        return (
            ngettext(
                "%(count)d of your %(k)d best matches is included in what you pay for.",
                "%(count)d of your %(k)d best matches are included in what you pay "
                "for.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(count)d of your top %(k)d is included in what you pay for.",
            "%(count)d of your top %(k)d are included in what you pay for.",
            count,
        )
        % values
    )


def _streams_on_sentence(advice: PlatformAdvice, params: dict) -> str:
    if advice.is_over_pool:
        return (
            ngettext(
                "Of your %(k)d best matches across the catalogue, %(count)d streams "
                "on %(name)s (%(price)s a month).",
                "Of your %(k)d best matches across the catalogue, %(count)d stream "
                "on %(name)s (%(price)s a month).",
                params["count"],
            )
            % params
        )
    return (
        ngettext(
            "%(count)d of your top %(k)d streams on %(name)s (%(price)s a month).",
            "%(count)d of your top %(k)d stream on %(name)s (%(price)s a month).",
            params["count"],
        )
        % params
    )


def _cancel_sentence(advice: PlatformAdvice) -> str:
    cancel = advice.cancel_candidate
    values = {
        "name": cancel.name,
        "price": format_price(cancel.monthly_price, cancel.currency),
        "count": cancel.unique_count,
        "k": advice.k,
    }
    if advice.is_over_pool:
        return (
            ngettext(
                "You could cancel %(name)s (%(price)s a month): only %(count)d of "
                "your %(k)d best matches is there and nowhere else you pay for.",
                "You could cancel %(name)s (%(price)s a month): only %(count)d of "
                "your %(k)d best matches are there and nowhere else you pay for.",
                cancel.unique_count,
            )
            % values
        )
    return (
        ngettext(
            "You could cancel %(name)s (%(price)s a month): only %(count)d of "
            "your top %(k)d is there and nowhere else you pay for.",
            "You could cancel %(name)s (%(price)s a month): only %(count)d of "
            "your top %(k)d are there and nowhere else you pay for.",
            cancel.unique_count,
        )
        % values
    )
