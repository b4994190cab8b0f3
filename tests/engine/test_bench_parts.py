"""The receipt bench's parts never share a receipt: a held-out figure means nothing otherwise."""

import importlib.util
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "receipt_accuracy.py"


@pytest.fixture(scope="module")
def receipt_bench():
    spec = importlib.util.spec_from_file_location("receipt_accuracy", _BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_held_out_and_rest_split_every_receipt_once(receipt_bench):
    ranked = [(bytes([n * 37 % 256]), Path(f"r{n}.jpg"), {"n": n}) for n in range(20)]
    parts = {part: receipt_bench.hash_split(list(ranked), part, 5, 8) for part in ("dev", "held-out", "rest")}
    assert [len(parts[p]) for p in ("dev", "held-out", "rest")] == [5, 8, 7]
    names = [path.name for part in parts.values() for path, _truth in part]
    assert sorted(names) == sorted(path.name for _d, path, _t in ranked)
    # the split follows the digest, not the order the files were listed in
    assert receipt_bench.hash_split(list(reversed(ranked)), "held-out", 5, 8) == parts["held-out"]
