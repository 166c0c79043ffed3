"""The active model, loaded once per process, and the glue to recommender.ml."""

from __future__ import annotations

import logging
import pickle
import threading
import zipfile

from recommender.ml.artifacts import ModelBundle, load_bundle
from recommender.models import ModelVersion

logger = logging.getLogger(__name__)
_lock = threading.Lock()
# Keyed by the artifact's path: a version's files never change once written.
_cache: dict[str, ModelBundle] = {}


class NoActiveModel(Exception):
    """No model has been trained yet."""


class ModelUnavailable(Exception):
    """The active version's files are missing or damaged: retrying cannot help."""


# What loading a missing or damaged bundle raises (a transient OSError, such as a
# disk that does not answer, is left to the caller's retries).
_BROKEN = (
    FileNotFoundError,
    NotADirectoryError,
    IsADirectoryError,
    EOFError,
    KeyError,
    ValueError,
    zipfile.BadZipFile,
    pickle.UnpicklingError,
)


def active_model_version() -> ModelVersion:
    """The active ModelVersion row."""
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        raise NoActiveModel("No recommendation model has been trained yet.")
    return version


def bundle_for(version: ModelVersion) -> ModelBundle:
    """The loaded bundle of a version; loaded from disk once per process."""
    bundle = _cache.get(version.path)
    if bundle is not None:
        return bundle
    with _lock:
        if version.path not in _cache:
            try:
                bundle = load_bundle(version.path)
            except _BROKEN as exc:
                logger.error("model %s cannot be loaded: %r", version.version, exc)
                raise ModelUnavailable(
                    "Recommendations are unavailable right now: the model's files "
                    f"(version {version.version}) are missing or damaged. Train a "
                    "new model or activate another version."
                ) from exc
            bundle.context  # noqa: B018 - build serving matrices once, not per request
            _cache.clear()  # keep only the newest version in memory
            _cache[version.path] = bundle
        return _cache[version.path]
