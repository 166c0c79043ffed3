"""Readers for the MovieLens file formats (ml-100k, ml-1m, ml-latest/ml-25m).

Plain pandas, no Django: the import command, the evaluation and the benchmarks all
read MovieLens through this one package. Every reader validates strictly and raises
``MovieLensFormatError`` naming the file and the 1-based line of the first bad row,
so a truncated or corrupt file is refused before anything is written.

`vocabulary` holds the genre and occupation words, `source` finds and downloads a
release, `formats` reads each format and `parsing` has their shared helpers; the
public names are re-exported here.
"""

from __future__ import annotations

from .formats import detect_format, read_dataset, read_ml100k_split
from .parsing import (
    MovieLensDataset,
    MovieLensFormatError,
    original_release_date,
    split_title,
)
from .source import ML100K_SHA256, ML100K_URL, resolve_source, verify_checksums
from .vocabulary import (
    ML1M_OCCUPATIONS,
    ML100K_GENRES,
    OCCUPATION_CHOICES,
    OCCUPATIONS,
    SURVEY_OCCUPATIONS,
)

__all__ = [
    "ML1M_OCCUPATIONS",
    "ML100K_GENRES",
    "ML100K_SHA256",
    "ML100K_URL",
    "OCCUPATIONS",
    "OCCUPATION_CHOICES",
    "SURVEY_OCCUPATIONS",
    "MovieLensDataset",
    "MovieLensFormatError",
    "detect_format",
    "original_release_date",
    "read_dataset",
    "read_ml100k_split",
    "resolve_source",
    "split_title",
    "verify_checksums",
]
