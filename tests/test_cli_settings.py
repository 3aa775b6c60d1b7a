"""The shop as a whole: `config get|set`, `hours`, `path`, `--home`, and zero set-up.

OLSHOP_NOW is Monday 2026-11-23 08:00 +07:00 (conftest).
"""

from __future__ import annotations

import json
import os
import stat

import pytest
from ledgerfile import read_ledger

DEFAULTS = {
    "shop-name": "",
    "call": "Kak",
    "deadline": "24h",
    "timezone": "Asia/Jakarta",
    "bank": "",
    "lang": "id",
    "ui-lang": "id",
    "emoji": "on",
    "backups": "20",
    "hit-and-run": "warn",
    "dp-on-release": "ask",
    "dp-minimum": "",
    "unique-code": "off",
}


def setting(shop, key: str) -> str:
    return shop(["config", "get", key], ok=True).stdout.rstrip("\n")


def settings(shop) -> dict:
    return json.loads(shop("config get --json", ok=True).stdout)


def new_booking(shop) -> dict:
    """Book one PAN-24 for mike and return the booking as `bookings --json` shows it."""
    booking_id = shop("book mike PAN-24", ok=True).stdout.strip()
    return {b["id"]: b for b in json.loads(shop("bookings --json", ok=True).stdout)}[booking_id]


# ----- config ----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), DEFAULTS.items())
def test_config_get_gives_the_defaults(shop, key, value):
    assert setting(shop, key) == value
    assert json.loads(shop(["config", "get", key, "--json"], ok=True).stdout) == {key: value}


def test_config_get_json_lists_every_setting(shop):
    assert settings(shop) == DEFAULTS


def test_config_get_shows_a_table_with_descriptions(shop):
    out = shop("config get", ok=True).stdout

    assert out.splitlines()[0].split() == ["Setting", "Value", "What", "it", "is"]
    assert any(line.split()[:2] == ["timezone", "Asia/Jakarta"] for line in out.splitlines())


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("call", "sis", "Sis"),
        ("call", "Cik", "Cik"),
        ("deadline", "2d", "2d"),
        ("deadline", "3 jam", "3 jam"),
        ("timezone", "Asia/Makassar", "Asia/Makassar"),
        ("lang", "EN", "en"),
        ("emoji", "tidak", "off"),
        ("emoji", "ya", "on"),
        ("shop-name", "Toko Sinar", "Toko Sinar"),
        ("bank", "BCA 1234567890 a.n. Siti", "BCA 1234567890 a.n. Siti"),
        ("Shop_Name", "Toko Sinar", "Toko Sinar"),
        ("dp-on-release", "Refund", "refund"),
        ("dp_on_release", "keep", "keep"),
    ],
)
def test_config_set_stores_the_value(shop, key, typed, stored):
    result = shop(["config", "set", key, typed], ok=True)

    name = key.lower().replace("_", "-")
    assert result.stdout == ""
    assert stored in result.stderr
    assert setting(shop, name) == stored
    assert settings(shop) == {**DEFAULTS, name: stored}


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        (None, "2026-11-24T08:00:00+07:00"),
        ("2d", "2026-11-25T08:00:00+07:00"),
        ("3 jam", "2026-11-23T11:00:00+07:00"),
        ("1d12h", "2026-11-24T20:00:00+07:00"),
    ],
)
def test_a_new_booking_gets_the_shops_deadline(stocked, deadline, due):
    if deadline:
        stocked(["config", "set", "deadline", deadline], ok=True)

    assert new_booking(stocked)["deadline"] == due


def test_the_time_zone_setting_is_used_for_stored_times(stocked):
    stocked("config set timezone Asia/Makassar", ok=True)

    booking = new_booking(stocked)

    assert booking["created"] == "2026-11-23T09:00:00+08:00"
    assert booking["deadline"] == "2026-11-24T09:00:00+08:00"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("config set timezone Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
        ("config set timezone ''", "Unknown time zone"),
        ("config set deadline soon", "Cannot read 'soon' as a duration"),
        ("config set deadline 2", "Cannot read '2' as a duration"),
        ("config set deadline 0h", "longer than zero"),
        ("config set colour red", "There is no setting 'colour'"),
        ("config get colour", "There is no setting 'colour'"),
        ("config set lang fr", "Unknown language 'fr'"),
        ("config set emoji maybe", "'maybe' is not on or off"),
        ("config set call ''", "honorific is empty"),
    ],
)
def test_config_refuses_bad_values_and_keeps_the_ledger(stocked, command, expected):
    stocked("config set deadline 2d", ok=True)

    result = stocked.refused(command, expected)

    assert "\n  " in result.stderr, "a hint on what to type instead"
    assert setting(stocked, "deadline") == "2d"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("config set deadline", "Missing argument"),
        ("config set", "Missing argument"),
        ("config unset deadline", "No such command"),
    ],
)
def test_config_usage_errors_exit_2(stocked, command, expected):
    stocked.refused(command, expected, code=2)


# ----- hours -----------------------------------------------------------------------------


def test_hours_when_none_are_set(shop):
    result = shop("hours", ok=True)

    assert result.stdout == ""
    assert "No working hours set" in result.stderr
    assert json.loads(shop("hours --json", ok=True).stdout) == {}


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00",
            "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00",
        ),
        ("senin-jumat 08.00-17.00", "mon-fri 08:00-17:00"),
        ("sen-jum 8-12; sab 9-12", "mon-fri 08:00-12:00; sat 09:00-12:00"),
        ("daily 9-21", "daily 09:00-21:00"),
    ],
)
def test_hours_set_then_hours_prints_them_back(shop, typed, shown):
    result = shop(["hours", "set", typed], ok=True)

    assert result.stdout == ""
    assert f"Working hours: {shown}" in result.stderr
    assert shop("hours", ok=True).stdout == f"{shown}\n"


def test_hours_json(shop):
    shop('hours set "mon-fri 08:00-10:00,19:00-21:00; sat 09:00-12:00"', ok=True)

    hours = json.loads(shop("hours --json", ok=True).stdout)

    assert hours["mon"] == hours["fri"] == [["08:00", "10:00"], ["19:00", "21:00"]]
    assert hours["sat"] == [["09:00", "12:00"]]
    assert hours["sun"] == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mon-fri 10:00-08:00", "must end after it starts"),
        ("someday 08:00-10:00", "Cannot read 'someday'"),
        ("mon 08:00-12:00,11:00-13:00", "overlap"),
        ("   ", "No working hours were given"),
    ],
)
def test_hours_set_refuses_bad_hours_and_keeps_the_old_ones(shop, typed, expected):
    shop('hours set "mon-fri 08:00-17:00"', ok=True)

    shop.refused(["hours", "set", typed], expected)

    assert shop("hours", ok=True).stdout == "mon-fri 08:00-17:00\n"


# ----- where the ledger lives ----------------------------------------------------------------


def test_path_prints_the_olshop_home_folder(shop):
    result = shop("path", ok=True)

    assert result.stdout == f"{shop.home}\n"
    assert result.stderr == ""


def test_home_option_overrides_olshop_home(shop, tmp_path):
    other = tmp_path / "other shop"

    assert shop(["--home", str(other), "path"], ok=True).stdout == f"{other}\n"
    shop(["--home", str(other), "customer", "add", "Ani"], ok=True)

    assert (other / "olshop.json").is_file()
    assert not (shop.home / "olshop.json").exists()
    listed = json.loads(shop(["--home", str(other), "customer", "list", "--json"]).stdout)
    assert [c["key"] for c in listed] == ["ani"]
    assert json.loads(shop("customer list --json", ok=True).stdout) == []
    assert shop("path", ok=True).stdout == f"{shop.home}\n"  # the override does not stick


@pytest.mark.parametrize(
    "first_command",
    [
        "customer list",
        "product list --json",
        "config get",
        "hours",
        "today",
        "customer add Ani",
        "config set deadline 2d",
    ],
)
def test_the_first_command_creates_the_ledger(shop, first_command):
    assert not shop.home.exists()

    shop(first_command, ok=True)

    ledger = shop.home / "olshop.json"
    assert ledger.is_file()
    assert {"meta", "settings", "customers", "products", "bookings"} <= set(read_ledger(shop.home))


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_ledger_is_private_to_its_owner(shop):
    shop("customer list", ok=True)
    shop('customer add "Siti" --phone 0812-3456-7890', ok=True)

    assert stat.S_IMODE(shop.home.stat().st_mode) == 0o700
    assert stat.S_IMODE((shop.home / "olshop.json").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "typed, stored", [("wib", "Asia/Jakarta"), ("asia/makassar", "Asia/Makassar")]
)
def test_timezone_is_stored_by_its_name(shop, typed, stored):
    result = shop(["config", "set", "timezone", typed], ok=True)
    assert result.stderr.strip() == f"timezone = {stored}"
    assert shop("config get timezone", ok=True).stdout.strip() == stored


def test_config_set_echoes_the_stored_key(shop):
    assert shop("config set shop_name Toko", ok=True).stderr.strip() == "shop-name = Toko"
