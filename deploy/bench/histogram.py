"""A latency histogram with HdrHistogram-style log buckets: bounded memory, ~0.8% precision.

Values are whole microseconds. Below `SUB_BUCKETS` every value has its own bucket; above, each
power of two is split into `SUB_BUCKETS / 2` equal buckets, so a bucket is never wider than
1/128 of the values it holds. Percentiles answer the highest value equivalent to the bucket,
clamped to the exact maximum seen, as HdrHistogram does.
"""

import math
from dataclasses import dataclass, field

SUB_BUCKET_BITS = 8
SUB_BUCKETS = 1 << SUB_BUCKET_BITS


def bucket_low(value_us: int) -> int:
    """The lowest value of the bucket that holds `value_us`."""
    shift = max(0, value_us.bit_length() - SUB_BUCKET_BITS)
    return (value_us >> shift) << shift


def bucket_high(low: int) -> int:
    """The highest value of the bucket starting at `low`."""
    shift = max(0, low.bit_length() - SUB_BUCKET_BITS)
    return low + (1 << shift) - 1


@dataclass
class Histogram:
    counts: dict[int, int] = field(default_factory=dict)
    total: int = 0
    min_us: int = 0
    max_us: int = 0
    sum_us: int = 0

    def record(self, seconds: float) -> None:
        value = max(0, round(seconds * 1_000_000))
        low = bucket_low(value)
        self.counts[low] = self.counts.get(low, 0) + 1
        self.min_us = value if self.total == 0 else min(self.min_us, value)
        self.max_us = max(self.max_us, value)
        self.sum_us += value
        self.total += 1

    def merge(self, other: "Histogram") -> None:
        for low, count in other.counts.items():
            self.counts[low] = self.counts.get(low, 0) + count
        if other.total:
            self.min_us = other.min_us if self.total == 0 else min(self.min_us, other.min_us)
        self.max_us = max(self.max_us, other.max_us)
        self.sum_us += other.sum_us
        self.total += other.total

    def percentile_ms(self, percent: float) -> float:
        """The value at `percent` (0..100) in milliseconds; 0 when empty."""
        if self.total == 0:
            return 0.0
        rank = max(1, math.ceil(self.total * percent / 100))
        seen = 0
        for low in sorted(self.counts):
            seen += self.counts[low]
            if seen >= rank:
                return min(bucket_high(low), self.max_us) / 1000
        return self.max_us / 1000

    @property
    def max_ms(self) -> float:
        return self.max_us / 1000

    @property
    def mean_ms(self) -> float:
        return self.sum_us / self.total / 1000 if self.total else 0.0
