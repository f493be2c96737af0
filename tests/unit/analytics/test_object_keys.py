"""Object keys are safe relative paths and plain S3 names, on every backend alike."""

import pytest

from storage.blobs.keys import InvalidKey, bucket_name, checked_key


@pytest.mark.parametrize("key", ["a", "ws/123/file.txt", "a-b_c.d=e+f@g,h", "x" * 512])
def test_good_keys_pass(key: str) -> None:
    assert checked_key(key) == key


@pytest.mark.parametrize(
    "key",
    ["", "/abs", "a//b", "a/./b", "../up", "a/..", "back\\slash", "nul\x00", "x" * 513, "sp ace"],
)
def test_keys_that_could_escape_or_confuse_are_refused(key: str) -> None:
    with pytest.raises(InvalidKey):
        checked_key(key)


def test_buckets_are_namespaced_like_topics() -> None:
    assert bucket_name("switchboard", "") == "switchboard"
    assert bucket_name("switchboard", "t1a2b3c4") == "switchboard-t1a2b3c4"
