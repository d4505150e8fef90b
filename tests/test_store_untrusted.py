"""A store folder received from someone else is data: every malformed file, even one whose checksum the
manifest was made to match, raises StoreDamaged in one line, and nothing in it runs."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import numpy as np
import pytest

from profgraph.store import StoreDamaged, StoreError, open_store


def manifest_of(store) -> dict:
    return json.loads((store / "manifest.json").read_text())


def plant(store, name: str, content: bytes) -> None:
    """Write ``content`` as the store's file ``name`` and make the manifest agree with it, as a forger would."""
    manifest = manifest_of(store)
    (store / manifest["current"] / name).write_bytes(content)
    manifest["files"][name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    (store / "manifest.json").write_text(json.dumps(manifest))


def model_document(store) -> dict:
    return json.loads((store / manifest_of(store)["current"] / "model.json").read_bytes())


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and str(error.value.folder) in message
    return message


def edited_model(store, edit) -> bytes:
    document = model_document(store)
    edit(document)
    return json.dumps(document).encode()


def _first(table: dict) -> dict:
    return next(iter(table.values()))


MODEL_EDITS = {
    "labels not a dict": lambda d: _first(d["model"]["professions"]).update(labels=5),
    "an unknown skill": lambda d: _first(d["model"]["professions"]).update(essential=["no-such-skill"]),
    "exposure out of range": lambda d: _first(d["model"]["professions"]).update(exposure=7.5),
    "an unknown skill type": lambda d: _first(d["model"]["skills"]).update(type="magic"),
    "filed under another id": lambda d: _first(d["model"]["skills"]).update(id="elsewhere"),
    "a transformation to nowhere": lambda d: d["model"]["transformations"].append(
        {"origin": "clerk", "successor": "nobody", "source": "tiny-author"}),
    "missing name keys": lambda d: d["names"]["keys"].pop(),
    "a name of nobody": lambda d: d["names"]["entries"].__setitem__(0, ["profession", "nobody", "x", "en"]),
    "a preferred name out of range": lambda d: d["names"]["preferred"].append(10 ** 6),
    "no model": lambda d: d.pop("model"),
}


@pytest.mark.parametrize("edit", MODEL_EDITS, ids=list(MODEL_EDITS))
def test_a_malformed_model_is_refused(store, edit):
    plant(store, "model.json", edited_model(store, MODEL_EDITS[edit]))
    dataset = open_store(store)
    with pytest.raises(StoreDamaged, match="model.json") as error:
        dataset.model
    one_line(error)


@pytest.mark.parametrize("content", [b"", b"\x80\x03garbage", b"[" * 200_000, b'{"model": ' * 50_000, b"null"],
                         ids=["empty", "pickle-like", "deep-list", "deep-object", "null"])
def test_garbage_model_files_are_refused(store, content):
    plant(store, "model.json", content)
    with pytest.raises(StoreDamaged, match="model.json") as error:
        open_store(store).names
    one_line(error)


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _table(store) -> dict:
    with np.load(store / manifest_of(store)["current"] / "transitions.npz", allow_pickle=False) as arrays:
        return dict(arrays)


TABLE_EDITS = {
    "an index out of range": lambda t: t.update(indices=t["indices"] + len(t["ids"])),
    "unordered row pointers": lambda t: t.update(indptr=t["indptr"][::-1].copy()),
    "coverage above 1": lambda t: t.update(coverage=t["coverage"] + 1.0),
    "a missing array": lambda t: t.pop("gap"),
    "strangers' professions": lambda t: t.update(ids=np.array([f"x{i}" for i in range(len(t["ids"]))])),
    "text where numbers go": lambda t: t.update(coverage=t["coverage"].astype(str)),
}


@pytest.mark.parametrize("edit", TABLE_EDITS, ids=list(TABLE_EDITS))
def test_a_malformed_transition_table_is_refused(store, edit):
    table = _table(store)
    TABLE_EDITS[edit](table)
    plant(store, "transitions.npz", _npz(**table))
    with pytest.raises(StoreDamaged, match="transitions.npz") as error:
        open_store(store).graph
    one_line(error)


def test_an_object_array_is_never_unpickled(store, tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    table = _table(store)
    table["ids"] = np.array([Payload()] * len(table["ids"]), dtype=object)
    plant(store, "transitions.npz", _npz(**table))
    with pytest.raises(StoreDamaged, match="transitions.npz"):
        open_store(store).transitions
    assert not marker.exists()


def test_an_array_claiming_more_than_it_holds_is_refused_unallocated(store):
    table = _table(store)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in table.items():
            member = io.BytesIO()
            if name == "coverage":  # a header claiming 8 TB, before the few bytes there are
                np.lib.format.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False,
                                                              "shape": (10 ** 12,)})
                member.write(array.tobytes())
            else:
                np.lib.format.write_array(member, array)
            archive.writestr(f"{name}.npy", member.getvalue())
    plant(store, "transitions.npz", buffer.getvalue())
    with pytest.raises(StoreDamaged, match="claims more than it holds"):
        open_store(store).transitions


def test_a_compressed_archive_is_refused(store):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **_table(store))
    plant(store, "transitions.npz", buffer.getvalue())
    with pytest.raises(StoreDamaged, match="transitions.npz"):
        open_store(store).transitions


MANIFEST_EDITS = {
    "a version outside the folder": lambda m: m.update(current="../../store-0123456789abcdef"),
    "a file outside the version": lambda m: m["files"].update({"../../../etc/passwd": {"size": 1, "sha256": "0" * 64}}),
    "a size in words": lambda m: m["files"]["model.json"].update(size="big"),
    "no file list": lambda m: m.pop("files"),
    "no model listed": lambda m: m["files"].pop("model.json"),
    "a list": lambda m: m.clear(),
    "a wrong checksum": lambda m: m["files"]["model.json"].update(sha256="0" * 64),
    "a wrong size": lambda m: m["files"]["transitions.npz"].update(size=m["files"]["transitions.npz"]["size"] + 1),
    "a missing version": lambda m: m.update(current="store-0123456789abcdef"),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS, ids=list(MANIFEST_EDITS))
def test_a_malformed_manifest_is_refused(store, edit):
    manifest = manifest_of(store)
    MANIFEST_EDITS[edit](manifest)
    (store / "manifest.json").write_text(json.dumps(manifest if manifest else []))
    with pytest.raises(StoreError) as error:
        dataset = open_store(store)
        dataset.model, dataset.transitions
    assert isinstance(error.value, StoreDamaged)
    one_line(error)


def test_a_symbolic_link_in_place_of_a_file_is_refused(store, tmp_path):
    manifest = manifest_of(store)
    secret = tmp_path / "secret.json"
    shutil.copy(store / manifest["current"] / "model.json", secret)
    (store / manifest["current"] / "model.json").unlink()
    (store / manifest["current"] / "model.json").symlink_to(secret)
    with pytest.raises(StoreDamaged, match="not a regular file"):
        open_store(store)


def test_rdf_files_damaged_after_a_verified_query_are_caught(store):
    import os

    open_store(store).rdf  # verified and remembered
    manifest = manifest_of(store)
    table = max((name for name in manifest["files"] if name.endswith(".sst")), key=lambda n: manifest["files"][n]["size"])
    path = store / manifest["current"] / table
    path.write_bytes(os.urandom(path.stat().st_size))  # same size: only the checksum tells
    with pytest.raises(StoreDamaged, match="does not match its checksum"):
        open_store(store).rdf
