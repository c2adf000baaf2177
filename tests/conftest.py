"""Shared fixtures of the Python tests: where the bertkit binary and the shared data are."""
import os
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.path.join(REPO, "..", "shared", "data")


def bertkit_binary():
    """The binary under test: $BERTKIT, else the newest of the release and debug builds."""
    if os.environ.get("BERTKIT"):
        return os.environ["BERTKIT"]
    builds = [os.path.join(REPO, ".build", kind, "bertkit") for kind in ("release", "debug")]
    builds = [path for path in builds if os.path.exists(path)]
    if not builds:
        pytest.fail("no bertkit binary: run `swift build` first or set BERTKIT")
    return max(builds, key=os.path.getmtime)


@pytest.fixture(scope="session")
def bertkit():
    return bertkit_binary()


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data beside the repository; tests that need it skip when it is absent."""
    if not os.path.isdir(SHARED_DATA):
        pytest.skip(f"../shared/data is absent ({SHARED_DATA})")
    return SHARED_DATA
