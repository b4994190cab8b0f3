"""What every QuickBooks engine test starts from: one simulated clock shared by the client and the fake (back-off
waits cost nothing, CDC windows can be moved), the XSD-validating fake QuickBooks on 127.0.0.1, and a
connected harness.  Kept in this folder so that ``fake`` means the fake QuickBooks only here (the Xero tests
have a ``fake`` of their own)."""

import pytest

from account_sync.engine.clock import FakeClock
from tests.fakes.qbo_harness import Harness
from tests.fakes.qbo_server import FakeQbo


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def fake(clock):
    with FakeQbo(clock=clock) as server:
        yield server


@pytest.fixture
def qbo(fake, clock):
    return Harness(fake, clock)
