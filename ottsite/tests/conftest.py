"""Registers the `schemathesis` marker (belongs in pyproject's marker list)."""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "schemathesis: fuzzes the live API against its OpenAPI schema"
    )
