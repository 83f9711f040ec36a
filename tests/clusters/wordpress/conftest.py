from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture
def fixtures(shared_dir) -> Path:
    """Return the WordPress importer's own fixtures (../shared/testdata)."""
    return shared_dir / "testdata" / "wordpress-importer-fixtures"


@pytest.fixture
def theme_unit_test(shared_dir) -> Path:
    return shared_dir / "testdata" / "wordpress-theme-test-data" / "themeunittestdata.wordpress.xml"


@pytest.fixture
def who_we_are() -> Path:
    """Return our own small export: the old "Who we are" page with its two pingbacks."""
    return HERE / "data" / "who-we-are.xml"
