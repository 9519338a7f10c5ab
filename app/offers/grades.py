"""The four condition grades. Their labels are UI strings (gettext); what each grade means for a
category is editable content (`GradeDescription`)."""
import enum

from flask_babel import lazy_pgettext


class Grade(enum.StrEnum):
    FAIR = "fair"
    GOOD = "good"
    EXCELLENT = "excellent"
    PREMIUM = "premium"

    @property
    def rank(self) -> int:
        """0 for Fair … 3 for Premium: better condition, higher rank."""
        return list(Grade).index(self)


GRADE_LABELS = {
    Grade.FAIR: lazy_pgettext("grade", "Fair"),
    Grade.GOOD: lazy_pgettext("grade", "Good"),
    Grade.EXCELLENT: lazy_pgettext("grade", "Excellent"),
    Grade.PREMIUM: lazy_pgettext("grade", "Premium"),
}


def grade_label(grade: str) -> str:
    return str(GRADE_LABELS[Grade(grade)])
