"""Signed, expiring tokens (pure): valid, tampered, expired, wrong purpose."""
import time

import pytest

from portal.accounts import tokens

SECRET = "s3cret"


def _flip(token):
    return token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]


@pytest.mark.parametrize("purpose, other", [
    (tokens.CONFIRM, tokens.RESET), (tokens.RESET, tokens.CONFIRM),
    (tokens.EMAIL_CHANGE, tokens.INVITE), (tokens.INVITE, tokens.EMAIL_CHANGE),
])
@pytest.mark.parametrize("case, expected", [
    ("fresh", {"uid": 7}),
    ("tampered", None),
    ("expired", None),
    ("other_purpose", None),
    ("other_secret", None),
    ("garbage", None),
])
def test_tokens(purpose, other, case, expected):
    token = tokens.make(SECRET, purpose, {"uid": 7})
    now = time.time()
    reads = {
        "fresh": lambda: tokens.read(SECRET, purpose, token),
        "tampered": lambda: tokens.read(SECRET, purpose, _flip(token)),
        "expired": lambda: tokens.read(SECRET, purpose, token, now=now + purpose.max_age + 5),
        "other_purpose": lambda: tokens.read(SECRET, other, token),
        "other_secret": lambda: tokens.read("another", purpose, token),
        "garbage": lambda: tokens.read(SECRET, purpose, "not-a-token"),
    }
    assert reads[case]() == expected


def test_token_valid_just_before_expiry():
    token = tokens.make(SECRET, tokens.RESET, {"uid": 1})
    assert tokens.read(SECRET, tokens.RESET, token, now=time.time() + tokens.RESET.max_age - 60) == {"uid": 1}


def test_fingerprint_changes_with_the_hash():
    assert tokens.fingerprint("a") != tokens.fingerprint("b")
    assert len(tokens.fingerprint(None)) == 20
