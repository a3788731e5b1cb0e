"""The seed's sasci360veloxpy.ini, read as it is; what is wrong with one is said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from contacthub_like.ci360 import CI360, read_ini
from contacthub_like.errors import ConfigurationError

GOOD = """[tenant]
extapigateway_url=extapigw.example.com/ci360/
client_id=tenant-1
client_secret=the-secret
protocol=https://
api_user_name=api
api_user_password=the-password
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sasci360veloxpy.ini"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_seed_format_gives_the_gateway_url_and_hides_the_secrets(tmp_path: Path) -> None:
    settings = read_ini(write(tmp_path, GOOD))
    assert settings.base_url == "https://extapigw.example.com/ci360"
    assert (settings.client_id, settings.username) == ("tenant-1", "api")
    assert "the-secret" not in repr(settings) and "the-password" not in repr(settings)
    with CI360.from_ini_file(tmp_path / "sasci360veloxpy.ini") as ci:
        assert ci.transport.base_url == "https://extapigw.example.com/ci360"
        assert "the-secret" not in repr(ci.transport.auth) and "the-password" not in repr(ci.transport.auth)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GOOD.replace("[tenant]", "[other]"), r"no \[tenant\] section"),
        (GOOD.replace("client_secret=the-secret\n", ""), "lacks client_secret"),
        (GOOD.replace("protocol=https://", "protocol=ftp://"), "protocol must be"),
        (GOOD.replace("extapigw.example.com", "https://extapigw.example.com"), "without a scheme"),
        ("not an ini file", "not an INI file"),
    ],
)
def test_a_bad_file_says_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        read_ini(write(tmp_path, text))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read the CI360 configuration"):
        CI360.from_ini_file(tmp_path / "nope.ini")
