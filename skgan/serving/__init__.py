"""Serve an exported generator over HTTP (``skgan serve``, extra ``skgan[serve]``)."""

from ._app import app_from_environment, create_app

__all__ = ["app_from_environment", "create_app"]
