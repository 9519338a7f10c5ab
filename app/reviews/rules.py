"""The review policy, read from the configuration: who may review, when, and how figures are made.

The "how reviews work" page of every edition is generated from this same `Policy`, so what the
shop says about its reviews is what it does (EU Omnibus directive, French Code de la consommation
L111-7-2, US FTC rule on consumer reviews).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

DEFAULTS = {
    "REVIEW_OPENS_AFTER_DAYS": 7,          # a device is reviewed once it has been used a little
    "REVIEW_CLOSES_AFTER_DAYS": 365,
    "REVIEW_FOLLOW_UP_AFTER_DAYS": 182,    # "still working?" at six months
    "REVIEW_PRIOR_HUNDREDTHS": 400,        # the Bayesian average's prior: 4.00 stars...
    "REVIEW_PRIOR_WEIGHT": 5,              # ...worth five reviews
    "REVIEW_KEPT_YEARS": 3,
    "REVIEW_TITLE_MAX": 120,
    "REVIEW_BODY_MAX": 5000,
    "REVIEW_REPORTS_TO_QUEUE": 1,          # an abuse report puts a published review back in the queue
}


@dataclass(frozen=True)
class Policy:
    opens_after_days: int
    closes_after_days: int
    follow_up_after_days: int
    prior_hundredths: int
    prior_weight: int
    kept_years: int
    title_max: int
    body_max: int
    reports_to_queue: int


def policy() -> Policy:
    config = current_app.config
    value = {key: int(config.get(key, default)) for key, default in DEFAULTS.items()}
    return Policy(*(value[key] for key in DEFAULTS))


def bayesian(count: int, total: int, policy: Policy) -> int:
    """The Bayesian average in hundredths of a star: the mean pulled toward the prior, so three
    five-star reviews do not outrank three hundred of 4.8. Integers only."""
    weight = policy.prior_weight
    return (total * 100 + policy.prior_hundredths * weight + (count + weight) // 2) // (count + weight) \
        if count + weight else 0
