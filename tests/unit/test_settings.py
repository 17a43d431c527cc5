"""The settings rules in shared/settings.py: what every variant's config.py refuses to start with."""

import pytest

from shared import settings
from shared.settings import ConfigError


@pytest.mark.parametrize("value", ["", "   "])
def test_no_admin_token_refuses_to_start(value):
    with pytest.raises(ConfigError, match="SHOP_ADMIN_TOKEN is not set"):
        settings.admin_token({"SHOP_ADMIN_TOKEN": value})


def test_database_url_defaults_to_a_sqlite_file_in_the_data_dir():
    assert settings.database_url({"SHOP_DATA_DIR": "/d"}, "monolith") == "sqlite:////d/monolith.db"
    assert settings.database_url({"DATABASE_URL": "postgresql://x/y"}, "monolith") == "postgresql://x/y"


def test_seconds_default_and_given():
    assert settings.seconds({}, "READ_TIMEOUT", 3.0) == 3.0
    assert settings.seconds({"READ_TIMEOUT": "0.5"}, "READ_TIMEOUT", 3.0) == 0.5


@pytest.mark.parametrize("value", ["0", "-1", "301", "soon", "nan"])
def test_seconds_out_of_range_refuse_to_start(value):
    with pytest.raises(ConfigError, match="READ_TIMEOUT must be a number of seconds"):
        settings.seconds({"READ_TIMEOUT": value}, "READ_TIMEOUT", 3.0)
