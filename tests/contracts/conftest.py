from __future__ import annotations

import pytest

from tests.contracts.loading import contracts_dir
from tests.contracts.spec import ContractSet, shared_contracts


@pytest.fixture(scope="session")
def contracts() -> ContractSet:
    loaded = shared_contracts()
    if loaded is None:
        pytest.skip(f"vendor contracts folder {contracts_dir()} is absent")
    return loaded
