"""Bridges to the tools teams already use.

- :mod:`skgan.integrations.mlflow`: tracking of fits and generators as MLflow
  models (extra ``skgan[mlflow]``). Import it explicitly; ``import skgan``
  never imports MLflow.
"""

__all__: list = []
