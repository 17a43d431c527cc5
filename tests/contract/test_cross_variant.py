"""One scripted request sequence per variant, compared to the golden transcript and to every other variant."""

import json
import os
from pathlib import Path

import pytest

from .transcript import contract_view, diff, record

GOLDEN = Path(__file__).with_name("golden_transcript.json")
WRITE_GOLDEN = os.environ.get("SHOP_CONTRACT_WRITE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def transcripts() -> dict[str, list[dict]]:
    """Every transcript recorded in this session, by target id, for variant-to-variant comparison."""
    return {}


def test_matches_golden_transcript(shop, target, transcripts):
    steps = record(shop)
    transcripts["-".join(target)] = steps
    actual = contract_view(steps)
    if WRITE_GOLDEN:
        GOLDEN.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
        pytest.fail(f"wrote {GOLDEN.name}; check every entry against the contract, then run without "
                    "SHOP_CONTRACT_WRITE_GOLDEN")
    golden = json.loads(GOLDEN.read_text())
    problems = diff(golden, actual, GOLDEN.name, "-".join(target))
    assert not problems, "the answers differ from the golden transcript:\n" + problems


def test_variants_answer_alike(shop, target, transcripts):
    # Stricter than the golden file: here problem titles, types, details and error messages count
    # too, as variants of this repository share them and any difference means one has drifted.
    # A fresh run is compared to this target's own earlier run as well: answers must not depend
    # on anything but the requests.
    name = "-".join(target)
    if name not in transcripts:  # run on its own: an earlier run of its own to compare with
        transcripts[name] = record(shop)
    mine = record(shop)
    for other, theirs in transcripts.items():
        problems = diff(theirs, mine, other, name)
        assert not problems, f"{name} answers differently from {other}:\n" + problems
