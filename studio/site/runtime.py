"""The pinned browser runtime (Pyodide, PyScript, Workbox), fetched with npm, verified and unpacked into static/vendor/."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .wheels import WHEELS

REPO_ROOT = Path(__file__).resolve().parents[2]
VENDOR = Path("static") / "vendor"
STAMP = "runtime.json"


class RuntimeFetchError(RuntimeError):
    """The runtime could not be fetched, verified or unpacked; the message says what to do."""


@dataclass(frozen=True)
class Pin:
    """One npm package: exact version, npm's sha512 integrity, and which part of it lands where."""

    name: str
    version: str
    integrity: str
    dest: str  # folder under static/vendor/
    members: tuple[tuple[str, str], ...]  # (path in tarball, path under dest); a trailing "/" takes a folder
    marker: str  # a file under dest that must exist once unpacked

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PINS: tuple[Pin, ...] = (
    Pin(
        "pyodide",
        "314.0.7",
        "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
        "pyodide",
        (("package/", ""),),
        "pyodide.mjs",
    ),
    Pin(
        "@pyscript/core",
        "0.7.31",
        "sha512-GqM1aonc1N4RTkNZ1zJ8jJk8+i2cqeztZslPsAiQtn+wHHkUX9Z1FgIg4HjCvhBylB68UKmbTVTzOobpgPIMVQ==",
        # dist/ is the whole browser bundle; the LICENSE travels with it (Apache-2.0 asks for that).
        "pyscript",
        (("package/dist/", ""), ("package/LICENSE", "LICENSE")),
        "core.js",
    ),
    # YAML for FloImg pipelines opened in the page (PyYAML is not in Pyodide's npm package).
    Pin(
        "js-yaml",
        "4.1.0",
        "sha512-wpxZs9NoxZaJESJGIZTyDEaYpl0FKSA+FB9aJiyemKhMwkxQg63h4T1KJgUGHpTqPDNRcmmYLugrRjJlBtWvRA==",
        "js-yaml",
        (("package/dist/js-yaml.mjs", "js-yaml.mjs"), ("package/LICENSE", "LICENSE")),
        "js-yaml.mjs",
    ),
    # Workbox's precaching for the service worker (sw.js, written by `studio build`): each package's
    # build/ has a ready file that importScripts() loads, no bundler needed.
    *(
        Pin(
            f"workbox-{part}",
            "7.4.1",
            integrity,
            f"workbox-{part}",
            ((f"package/build/workbox-{part}.prod.js", f"workbox-{part}.prod.js"), ("package/LICENSE", "LICENSE")),
            f"workbox-{part}.prod.js",
        )
        for part, integrity in (
            ("core", "sha512-DT+vu46eh/2vRsSHTY4Xmc32Z1rr9PRlQUXr1Dx30ZuXRWwOsvZgGgcwxcasubQLQmbTNYZjv44LkBAQ4tT5tQ=="),
            (
                "routing",
                "sha512-yubJGErZOusuidAenaL5ypfhQOa7urxP/f8E0ws7FPb4039RiWXUWBAyUkmUoOL/BcQGen3h0J8872d51IYxtA==",
            ),
            (
                "strategies",
                "sha512-GZxpaw9NbmOelj7667uZ2kpk5BFpOGbO4X0qjwh5ls8XQ8C+Lha5LQchTiUzsTFSS+NlUpftYAyOVXvQUrcqOQ==",
            ),
            (
                "precaching",
                "sha512-cdr/9qByww7yzEp7zg/qI4ukUrrNjQLgN+ONQRpjy/VqGQXwkgHwr00KksGJK8v0VifwDXBb8a4cWNZH71jn3Q==",
            ),
        )
    ),
)
# Loaded by the service worker in this order (each one's build expects the ones before it).
WORKBOX_SCRIPTS = tuple(f"{p.dest}/{p.marker}" for p in PINS if p.name.startswith("workbox-"))


def stamp_text() -> str:
    """What static/vendor/runtime.json holds when the vendored runtime matches the pins."""
    pins = {
        p.name: {
            "version": p.version,
            "integrity": p.integrity,
            "dest": p.dest,
            "members": [list(m) for m in p.members],
        }
        for p in PINS
    }
    return json.dumps({"pins": pins}, indent=2, sort_keys=True) + "\n"


def is_current(root: Path = REPO_ROOT) -> bool:
    """True when static/vendor/ holds exactly the pinned runtime (stamp matches, marker files exist)."""
    vendor = root / VENDOR
    try:
        stamp = (vendor / STAMP).read_text(encoding="utf-8")
    except OSError:
        return False
    return stamp == stamp_text() and all((vendor / p.dest / p.marker).is_file() for p in PINS)


def verify_integrity(path: Path, integrity: str) -> None:
    """Check a file against an npm `sha512-<base64>` integrity; on mismatch delete it and raise."""
    algo, _, expected = integrity.partition("-")
    if algo != "sha512" or not expected:
        raise RuntimeFetchError(f"unsupported integrity {integrity!r} (expected sha512-…)")
    digest = hashlib.sha512()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    actual = base64.b64encode(digest.digest()).decode("ascii")
    if not hmac.compare_digest(actual, expected):
        path.unlink(missing_ok=True)
        raise RuntimeFetchError(
            f"{path.name}: integrity mismatch, refused and deleted\n  expected sha512-{expected}\n  got      sha512-{actual}"
        )


def _safe_relpath(name: str) -> PurePosixPath:
    """A tar member name as a relative path, refusing absolute paths and `..` (path traversal)."""
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
        raise RuntimeFetchError(f"refusing unsafe path in tarball: {name!r}")
    return p


def unpack(tarball: Path, dest: Path, members: tuple[tuple[str, str], ...]) -> int:
    """Extract the selected members of a .tgz into dest; refuses traversal, links and devices. Returns files written."""
    written = 0
    dest = dest.resolve()
    with tarfile.open(tarball, "r:gz") as tar:
        for info in tar:
            rel = _safe_relpath(info.name)
            target_rel = _map_member(rel.as_posix(), members)
            if target_rel is None or info.isdir():
                continue
            if not info.isfile():  # symlinks, hard links, devices: never needed by these packages
                raise RuntimeFetchError(f"refusing non-regular file in tarball: {info.name!r}")
            target = (dest / _safe_relpath(target_rel)).resolve()
            if dest != target and dest not in target.parents:
                raise RuntimeFetchError(f"refusing path outside destination: {info.name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(info)
            assert src is not None
            with src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
            written += 1
    return written


def _map_member(name: str, members: tuple[tuple[str, str], ...]) -> str | None:
    for src, dst in members:
        if src.endswith("/") and name.startswith(src) and name != src:
            return dst + name[len(src) :]
        if name == src:
            return dst
    return None


def npm_pack(spec: str, workdir: Path) -> Path:
    """Run `npm pack <spec>` in workdir and return the tarball's path."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeFetchError(
            "npm is needed once to fetch the browser runtime, and was not found.\n"
            "  Install Node.js with npm (Debian/Ubuntu: apt-get install -y npm), then run again."
        )
    try:
        # --prefer-offline reuses npm's cache; the integrity check below makes that safe.
        done = subprocess.run(
            [npm, "pack", spec, "--json", "--prefer-offline", "--ignore-scripts"],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeFetchError(f"`npm pack {spec}` could not run: {exc}") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise RuntimeFetchError(
            f"`npm pack {spec}` failed (exit {done.returncode}); is the npm registry reachable?\n{tail}"
        )
    try:
        filename = json.loads(done.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError):
        tarballs = sorted(workdir.glob("*.tgz"))
        if len(tarballs) != 1:
            raise RuntimeFetchError(f"`npm pack {spec}` gave no tarball") from None
        return tarballs[0]
    return workdir / Path(filename).name


# -- Pure-Python wheels the page and the engine import (the pins: studio/site/wheels.py) ------------
# (issue 12: segno for source.qr, mistune for canvas.note's Markdown).
# Fetched once with `pip download` from the package registry, checked against the sha256 the
# registry publishes for that exact file, and listed in pyscript.toml's [files] (unpacked into
# the page's working directory, so they load offline like the runtime).


WHEELS_DIR = VENDOR / "wheels"


def ensure_wheels(root: Path = REPO_ROOT, *, log: Callable[[str], object] = print) -> Path:
    """Make sure static/vendor/wheels/ holds every pinned wheel with its hash; returns the folder."""
    folder = root / WHEELS_DIR
    for pin in WHEELS:
        target = folder / pin.filename
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == pin.sha256:
            continue
        log(f"Fetching {pin.filename} with pip…")
        with tempfile.TemporaryDirectory(prefix="pyxis-wheel-") as tmp:
            command = [sys.executable, "-m", "pip", "download", f"{pin.name}=={pin.version}", "--no-deps"]
            command += ["--only-binary=:all:", "--dest", tmp, "--quiet", "--disable-pip-version-check"]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise RuntimeFetchError(f"`pip download {pin.name}=={pin.version}` could not run: {exc}") from exc
            fetched = Path(tmp) / pin.filename
            if done.returncode != 0 or not fetched.is_file():
                tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-6:])
                raise RuntimeFetchError(
                    f"`pip download {pin.name}=={pin.version}` failed; is the package registry reachable?\n{tail}"
                )
            actual = hashlib.sha256(fetched.read_bytes()).hexdigest()
            if not hmac.compare_digest(actual, pin.sha256):
                raise RuntimeFetchError(
                    f"{pin.filename}: sha256 mismatch, refused\n  expected {pin.sha256}\n  got      {actual}"
                )
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(str(fetched), str(target))
        log(f"  {pin.filename}: verified, in {target.relative_to(root)}")
    return folder


def ensure_runtime(root: Path = REPO_ROOT, *, log: Callable[[str], object] = print) -> Path:
    """Make sure static/vendor/ holds the pinned runtime (fetching it with npm once); returns static/vendor."""
    vendor = root / VENDOR
    ensure_wheels(root, log=log)  # issue 12: the page's pinned pure-Python wheels
    if is_current(root):
        return vendor
    log(f"Fetching the browser runtime ({', '.join(p.spec for p in PINS)}) with npm…")
    vendor.mkdir(parents=True, exist_ok=True)
    (vendor / STAMP).unlink(missing_ok=True)  # a half-done update must never look current
    with tempfile.TemporaryDirectory(prefix="pyxis-runtime-") as tmp:
        tmpdir = Path(tmp)
        for pin in PINS:
            tarball = npm_pack(pin.spec, tmpdir)
            verify_integrity(tarball, pin.integrity)
            staging = tmpdir / f"unpacked-{pin.dest}"
            count = unpack(tarball, staging, pin.members)
            if not (staging / pin.marker).is_file():
                raise RuntimeFetchError(f"{pin.spec}: {pin.marker} missing from the package")
            final = vendor / pin.dest
            if final.exists():
                shutil.rmtree(final)
            shutil.move(str(staging), str(final))
            log(f"  {pin.spec}: verified, {count} files in {final.relative_to(root)}")
    (vendor / STAMP).write_text(stamp_text(), encoding="utf-8")
    return vendor


def main() -> int:
    try:
        vendor = ensure_runtime()
    except RuntimeFetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Browser runtime ready in {vendor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
