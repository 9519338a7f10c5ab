"""The condition questionnaire: a few questions per kind of device, whose answers give a condition.

Each option caps the condition (a cracked screen caps it at Damaged); the device's condition is the
worst cap among its answers. The kind of device is the category's drawing (`Category.illustration`),
so a new category of phones gets the phone questions without code. Labels are UI strings.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .errors import DeviceLocked, TradeInError
from .models import Condition

C = Condition


@dataclass(frozen=True)
class Option:
    value: str
    label: object
    cap: Condition | None          # None: no condition at all (the device cannot be traded in)


@dataclass(frozen=True)
class Question:
    key: str
    label: object
    options: tuple[Option, ...]
    hint: object | None = None

    def option(self, value: str | None) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


POWERS_ON = Question("powers_on", _l("Does it switch on and work normally?"), (
    Option("yes", _l("Yes"), C.EXCELLENT),
    Option("no", _l("No"), C.BROKEN)))
SCREEN = Question("screen", _l("How is the screen?"), (
    Option("flawless", _l("Flawless"), C.EXCELLENT),
    Option("scratches", _l("Light scratches"), C.GOOD),
    Option("cracked", _l("Cracked, or with dead pixels"), C.DAMAGED)))
BODY = Question("body", _l("How is the body?"), (
    Option("flawless", _l("Like new"), C.EXCELLENT),
    Option("light", _l("Light signs of use"), C.GOOD),
    Option("worn", _l("Visible scratches or dents"), C.FAIR),
    Option("broken", _l("Cracked or bent"), C.DAMAGED)))
BATTERY = Question("battery", _l("Battery health, if you know it"), (
    Option("high", _l("90 % or more"), C.EXCELLENT),
    Option("medium", _l("80 to 89 %"), C.GOOD),
    Option("low", _l("Under 80 %"), C.FAIR),
    Option("unknown", _l("I don't know"), C.GOOD)),
    hint=_l("On an iPhone: Settings › Battery › Battery Health."))
SIGNED_OUT = Question("signed_out", _l("Will you sign it out of its account (Apple ID, Google, console account)?"), (
    Option("yes", _l("Yes, before I ship it"), C.EXCELLENT),
    Option("no", _l("No"), None)),
    hint=_l("A device still locked to an account cannot be reset or resold, and is sent back."))

QUESTIONNAIRES: dict[str, tuple[Question, ...]] = {
    "phone": (POWERS_ON, SCREEN, BODY, BATTERY, SIGNED_OUT),
    "tablet": (POWERS_ON, SCREEN, BODY, BATTERY, SIGNED_OUT),
    "watch": (POWERS_ON, SCREEN, BODY, BATTERY, SIGNED_OUT),
    "laptop": (POWERS_ON, SCREEN, BODY, BATTERY, SIGNED_OUT),
    "console": (POWERS_ON, BODY, SIGNED_OUT),
    "headphones": (POWERS_ON, BODY, BATTERY),
}
TRADE_IN_KINDS = frozenset(QUESTIONNAIRES)


class IncompleteAnswers(TradeInError):
    message = _l("Answer every question.")

    def __init__(self, missing: list[str]):
        super().__init__()
        self.missing = missing


def questions_for(kind: str) -> tuple[Question, ...]:
    return QUESTIONNAIRES.get(kind, ())


def grade(kind: str, answers: Mapping[str, str]) -> tuple[Condition, dict[str, str]]:
    """The condition the answers give, and the answers kept (only known questions, known options).

    Raises `IncompleteAnswers` naming the unanswered questions, and `DeviceLocked` when the shopper
    will not sign the device out. A device that does not switch on is Broken whatever else is said.
    """
    questions = questions_for(kind)
    if not questions:
        raise TradeInError()
    kept: dict[str, str] = {}
    missing = []
    for question in questions:
        option = question.option(answers.get(question.key))
        if option is None:
            missing.append(question.key)
        else:
            kept[question.key] = option.value
    broken = kept.get("powers_on") == "no"
    if broken:
        # What the screen or battery is like no longer matters; the account still does.
        missing = [key for key in missing if key == "signed_out"]
        kept = {key: value for key, value in kept.items() if key in ("powers_on", "signed_out")}
    if missing:
        raise IncompleteAnswers(missing)
    caps = [q.option(kept[q.key]).cap for q in questions if q.key in kept]
    if None in caps:
        raise DeviceLocked()
    return (Condition.BROKEN if broken else max(caps, key=lambda c: c.rank)), kept
