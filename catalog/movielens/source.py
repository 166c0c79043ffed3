"""Where MovieLens comes from: a directory, a .zip or a download, checksummed."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path

from .formats import detect_format
from .parsing import MovieLensFormatError

ML100K_URL = "https://files.grouplens.org/datasets/movielens/ml-100k.zip"

# sha256 of the files inside the official ml-100k.zip; the download is verified
# against these (GroupLens publishes no checksum for the zip itself).
ML100K_SHA256 = {
    "u.data": "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
    "u.item": "553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701",
    "u.user": "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c",
}


def resolve_source(source: str, download_dir: Path) -> Path:
    """Turn a directory, a .zip or an https URL into a directory of MovieLens files."""
    if source.startswith(("http://", "https://")):
        return _download(source, download_dir)
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    if path.is_file() and path.suffix == ".zip":
        return _extract_zip(path, download_dir / path.stem)
    raise MovieLensFormatError(f"{source}: not a directory, a .zip file or a URL")


def verify_checksums(folder: Path, expected: dict[str, str]) -> None:
    """Raise if any of the named files does not have the expected sha256."""
    for name, digest in expected.items():
        path = folder / name
        if not path.exists():
            raise MovieLensFormatError(f"{path}: missing")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise MovieLensFormatError(
                f"{path}: checksum mismatch (sha256 {actual}, expected {digest})"
            )


def _download(url: str, download_dir: Path) -> Path:
    import requests  # only needed for the network path

    name = Path(url.split("?")[0]).name or "movielens.zip"
    target = download_dir / Path(name).stem
    if target.exists():
        return target
    download_dir.mkdir(parents=True, exist_ok=True)
    zip_path = download_dir / name
    if not zip_path.exists():
        partial = zip_path.with_suffix(".part")
        with requests.get(url, stream=True, timeout=60) as response:
            response.raise_for_status()
            with partial.open("wb") as out:
                for chunk in response.iter_content(1 << 20):
                    out.write(chunk)
        partial.rename(zip_path)
    folder = _extract_zip(zip_path, target)
    if url == ML100K_URL:
        _, data_dir = detect_format(folder)
        verify_checksums(data_dir, ML100K_SHA256)
    return folder


def _extract_zip(zip_path: Path, target: Path) -> Path:
    if target.exists():
        return target
    try:
        with zipfile.ZipFile(zip_path) as archive:
            tmp = Path(
                tempfile.mkdtemp(dir=target.parent if target.parent.exists() else None)
            )
            archive.extractall(tmp)
    except zipfile.BadZipFile as exc:
        raise MovieLensFormatError(f"{zip_path}: not a valid zip file ({exc})") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(tmp), str(target))
    return target
