import pytest


@pytest.fixture(autouse=True)
def _mails_go_out_at_once(immediate_on_commit):
    """Registration, review and notices send e-mail after commit."""
