"""The statistics on exact small cases: shrinkage, the interval, the minimum sample."""
import pytest

from app.quality import stats


def test_no_units_is_the_parent_rate_with_the_widest_interval():
    found = stats.estimate(0, 0, parent_ppm=20_000, pseudo_count=50)
    assert (found.rate_ppm, found.units, found.raw_ppm) == (20_000, 0, 0)
    assert not found.published(30)


def test_shrinkage_is_the_beta_posterior_mean_toward_the_parent():
    # (10 + 50 × 0.02) / (50 + 50) = 11 / 100
    found = stats.estimate(10, 50, parent_ppm=20_000, pseudo_count=50)
    assert found.rate_ppm == 110_000
    assert found.raw_ppm == 200_000
    # a tiny sample barely moves off the parent: (1 + 1) / (2 + 50)
    assert stats.estimate(1, 2, parent_ppm=20_000, pseudo_count=50).rate_ppm == 38_462
    # a large one is judged on its own figures: (300 + 1) / (10 000 + 50)
    assert stats.estimate(300, 10_000, parent_ppm=20_000, pseudo_count=50).rate_ppm == 29_950


def test_pseudo_count_is_configurable_and_zero_means_no_shrinkage():
    assert stats.estimate(10, 50, parent_ppm=20_000, pseudo_count=0).rate_ppm == 200_000
    assert stats.estimate(10, 50, parent_ppm=20_000, pseudo_count=150).rate_ppm == 65_000   # (10 + 3) / 200


def test_the_platform_has_no_parent_and_is_its_raw_rate():
    found = stats.estimate(3, 100, parent_ppm=None, pseudo_count=50)
    assert found.rate_ppm == found.raw_ppm == 30_000


def test_the_interval_is_wilson_on_the_posterior_and_narrows_with_evidence():
    # p = 0.11 on n = 100: centre 0.12443, half-width 0.06189: the Wilson bounds (0.06254, 0.18631)
    found = stats.estimate(10, 50, parent_ppm=20_000, pseudo_count=50)
    assert (found.low_ppm, found.high_ppm) == (62_541, 186_313)
    assert found.low_ppm <= found.rate_ppm <= found.high_ppm
    small = stats.estimate(1, 10, parent_ppm=100_000, pseudo_count=0)
    large = stats.estimate(100, 1000, parent_ppm=100_000, pseudo_count=0)
    assert small.high_ppm - small.low_ppm > large.high_ppm - large.low_ppm
    zero = stats.estimate(0, 40, parent_ppm=None, pseudo_count=50)
    assert zero.low_ppm == 0 and 0 < zero.high_ppm < 100_000


def test_minimum_sample_is_inclusive():
    assert not stats.estimate(0, 29, parent_ppm=0, pseudo_count=50).published(30)
    assert stats.estimate(0, 30, parent_ppm=0, pseudo_count=50).published(30)


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        stats.estimate(3, 2, parent_ppm=0, pseudo_count=50)


def test_median_and_ppm():
    assert stats.median([]) is None
    assert stats.median([5, 1, 3]) == 3
    assert stats.median([4, 1, 3, 2]) == 2
    assert stats.ppm(1, 3) == 333_333 and stats.ppm(2, 3) == 666_667 and stats.ppm(1, 0) == 0
