"""The store's index of the names customers go by: a key that is also what another
customer is called is refused without reading every customer, and the index follows every
change of name, nickname and key (and a ledger from before it still refuses)."""

from __future__ import annotations

import pytest

from olshop_cli import tables


def keys_called(shop, word: str) -> list[str] | None:
    from olshop_cli.store import Store

    store = Store(shop.home)
    files = tables.Files(shop.home, store.current(), read_only=True)
    return tables.CalledIndex(files).get(word)


@pytest.fixture
def two_sitis(shop):
    shop('customer add "Siti Aminah" --phone 0812-1111-0001', ok=True)
    shop('customer add "Bu Siti Rahma" --phone 0812-1111-0002', ok=True)
    return shop


def test_a_key_that_another_is_called_by_is_refused(two_sitis):
    assert keys_called(two_sitis, "siti") == ["siti", "siti-rahma"]
    result = two_sitis.refused("customer show siti", "'siti' matches 2 customers")
    assert "siti-rahma (Siti Rahma)" in result.stderr


def test_the_index_follows_nicknames_keys_and_removals(two_sitis):
    two_sitis("customer edit siti-rahma --nick Rahma", ok=True)
    assert keys_called(two_sitis, "siti") == ["siti"]
    assert keys_called(two_sitis, "rahma") == ["siti-rahma"]
    assert "Siti Aminah" in two_sitis("customer show siti", ok=True).stdout
    two_sitis("customer edit siti-rahma --nick ''", ok=True)
    two_sitis.refused("customer show siti", "matches 2 customers")
    two_sitis("customer edit siti-rahma --key rahma", ok=True)
    assert keys_called(two_sitis, "siti") == ["rahma", "siti"]
    two_sitis("customer rm rahma", ok=True)
    assert keys_called(two_sitis, "siti") == ["siti"]
    two_sitis("undo", ok=True)  # the index is part of the version undo brings back
    assert keys_called(two_sitis, "siti") == ["rahma", "siti"]


def test_without_the_index_every_customer_is_looked_at(two_sitis, monkeypatch):
    monkeypatch.setattr(tables.CalledIndex, "get", lambda self, word: None)
    two_sitis.refused("customer show siti", "matches 2 customers")


def test_a_ledger_from_before_the_index_gets_it_on_first_use(two_sitis):
    """The called-NN files taken out of the manifest, as a ledger written before them: the
    first command builds the index in place (the same version, nothing to undo)."""
    import json

    from olshop_cli import paths

    manifest_path = two_sitis.home / paths.MAIN_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["files"] = {
        name: entry for name, entry in manifest["files"].items() if not name.startswith("called-")
    }
    manifest_path.write_text(json.dumps(manifest))
    assert keys_called(two_sitis, "siti") is None
    refused = two_sitis("customer show siti")  # refused, and the index built meanwhile
    assert refused.exit_code == 1 and "matches 2 customers" in refused.stderr
    assert keys_called(two_sitis, "siti") == ["siti", "siti-rahma"]
    two_sitis("customer add 'Siti Nur' --phone 0812-1111-0003", ok=True)
    assert keys_called(two_sitis, "siti") == ["siti", "siti-nur", "siti-rahma"]
