"""The latency histogram: exact below 256 µs, within 1/128 above, percentiles as HdrHistogram."""

import random

import pytest

from deploy.bench.histogram import SUB_BUCKETS, Histogram, bucket_high, bucket_low


def _of(values_ms: list[float]) -> Histogram:
    h = Histogram()
    for value in values_ms:
        h.record(value / 1000)
    return h


def test_small_values_have_a_bucket_each() -> None:
    for value in range(SUB_BUCKETS):
        assert bucket_low(value) == value
        assert bucket_high(value) == value


@pytest.mark.parametrize("value", [256, 257, 1000, 4_999, 123_456, 9_999_999])
def test_a_bucket_is_never_wider_than_a_128th_of_its_values(value: int) -> None:
    low = bucket_low(value)
    high = bucket_high(low)
    assert low <= value <= high
    assert (high - low + 1) / low <= 1 / 128


def test_buckets_tile_the_values_without_gaps() -> None:
    low = 0
    while low < 1_000_000:
        high = bucket_high(low)
        assert bucket_low(high) == low
        low = high + 1


def test_percentiles_of_a_uniform_spread_are_within_one_percent() -> None:
    h = _of([float(ms) for ms in range(1, 10_001)])
    for percent, expected in [(50, 5000.0), (90, 9000.0), (99, 9900.0)]:
        assert h.percentile_ms(percent) == pytest.approx(expected, rel=0.01)
    assert h.percentile_ms(100) == h.max_ms == 10_000.0


def test_percentiles_never_exceed_the_exact_maximum() -> None:
    h = _of([12.3456])
    assert h.percentile_ms(50) == h.percentile_ms(99) == h.max_ms == 12.346
    assert h.total == 1
    assert h.mean_ms == pytest.approx(12.346)


def test_an_empty_histogram_answers_zero() -> None:
    h = Histogram()
    assert (h.percentile_ms(50), h.max_ms, h.mean_ms, h.total) == (0.0, 0.0, 0.0, 0)


def test_merging_is_recording_everything_in_one() -> None:
    rng = random.Random(7)
    values = [rng.expovariate(1 / 20) for _ in range(5_000)]
    left, right, whole = _of(values[:1234]), _of(values[1234:]), _of(values)
    left.merge(right)
    assert left == whole


def test_merging_into_an_empty_histogram_keeps_the_minimum() -> None:
    empty = Histogram()
    empty.merge(_of([3.0, 5.0]))
    assert (empty.min_us, empty.max_us, empty.total) == (3000, 5000, 2)
