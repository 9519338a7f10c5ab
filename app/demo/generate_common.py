"""Pieces shared by the benchmark generator's phases: progress reporting, the run report, counters."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .generate_data import PREFIX

# Prices and ages are computed against a fixed year, like the demo loader, so a seed gives the same
# prices whatever the date of the run.
REFERENCE_YEAR = 2026
PRODUCTS_PER_CHUNK = 2_000          # ~10k variants, ~30k launch prices, ~10k listings per commit


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> Any: ...


Progress = Callable[[str, int, str], AbstractContextManager[ProgressBar]]


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass


def no_progress(description: str, total: int, unit: str) -> AbstractContextManager[ProgressBar]:
    return nullcontext(_NoBar())


@dataclass
class GenerateReport:
    products: int = 0
    translations: int = 0
    variants: int = 0
    new_prices: int = 0
    sellers: int = 0
    listings: int = 0
    prices: int = 0
    products_total: int = 0
    listings_total: int = 0
    sellers_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.products or self.sellers or self.listings)

    def summary(self) -> str:
        return (f"{self.products} products ({self.translations} translations, {self.variants} variants, "
                f"{self.new_prices} launch prices), {self.sellers} sellers, {self.listings} listings, "
                f"{self.prices} listing prices; generated catalog now {self.products_total} products, "
                f"{self.sellers_total} sellers, {self.listings_total} listings")


def count(session: Session, statement) -> int:
    return int(session.scalar(statement) or 0)


def next_number(session: Session, column) -> int:
    """The number after the highest one in the fixed-width ``gen-<number>-…`` keys of `column`."""
    highest = session.scalar(select(func.max(column)).where(column.like(f"{PREFIX}%")))
    return int(highest.split("-")[1]) + 1 if highest else 1
